"""Django's ASGI handler without a new thread per request.

Stock ``ASGIHandler`` wraps each request in its own ``ThreadSensitiveContext``: the first
thread-sensitive ``sync_to_async`` call of the request (an ORM query, the
``request_started`` / ``request_finished`` receivers, ``response.close()``) starts a new
thread, three hops at least even for a view that never touches a sync API. Here:

- each request's context gets a :class:`LazyExecutor`: it borrows a thread from a pool of
  reused single-thread executors on its first call only, and gives it back at the end; one
  request still runs all its sync code in one thread, as Django requires (its database
  connections live there);
- ``request_started``, ``request_finished`` and ``response.close()`` run inline when the
  request never used a thread (Django's own receivers then have nothing to close: the
  event loop's thread holds no connection), and in the request's thread otherwise, so its
  connections are closed or returned to the pool exactly as before;
- a body that fits in memory is kept in a ``BytesIO`` rather than a spooled temporary file;
- the body limits of :mod:`titan_web.common.bodylimits` are applied before and while the
  body is read (413, 415);
- a DRF ``Response`` with a JSON renderer is rendered on the event loop (``json.dumps`` of
  data already in memory: no I/O), not in a thread as Django renders deferred responses;
  template responses (the admin, the browsable API) still render in the request's thread;
- once a DRF response is rendered, the cycles between its view, request and response are
  broken, so a request's objects are freed when it ends, not by the cyclic collector;
- the disconnect listener's ``RequestAborted`` (uvicorn ends nearly every request with it)
  is read from its task, not re-raised into the handler's frame, for the same reason.

Everything else (disconnect handling, cancellation, streaming) is Django's.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import tempfile
import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, iscoroutinefunction, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.urls import set_script_prefix
from rest_framework.renderers import JSONRenderer

MAX_IDLE_THREADS = 32


class ThreadPool:
    """Single-thread executors, reused across requests (one request at a time each)."""

    def __init__(self, max_idle: int = MAX_IDLE_THREADS) -> None:
        self._free: list[ThreadPoolExecutor] = []
        self._lock = threading.Lock()
        self.max_idle = max_idle
        self.created = 0

    def take(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._free:
                return self._free.pop()
            self.created += 1
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="titan-request")

    def give(self, executor: ThreadPoolExecutor) -> None:
        with self._lock:
            if len(self._free) < self.max_idle:
                self._free.append(executor)
                return
        executor.shutdown(wait=False)


class LazyExecutor(Executor):
    """One request's thread: borrowed from the pool on the first call only."""

    def __init__(self, pool: ThreadPool) -> None:
        self.pool = pool
        self.real: ThreadPoolExecutor | None = None

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.real is None:
            self.real = self.pool.take()
        return self.real.submit(fn, *args, **kwargs)

    def release(self) -> None:
        if self.real is not None:
            self.pool.give(self.real)
            self.real = None


class TitanASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.pool = ThreadPool()
        # Imported here: this module is imported before django.setup() (asgi.py).
        from titan_web.common import bodylimits

        self.limits = bodylimits

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = LazyExecutor(self.pool)
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self._handle(scope, receive, send, executor)
        finally:
            executor.release()

    async def _get_response_async(self, request: Any) -> Any:
        """Django's, with JSON responses rendered inline (see the module docstring)."""
        me: Any = self
        if me._template_response_middleware:
            return await super()._get_response_async(request)  # type: ignore[misc]
        callback, callback_args, callback_kwargs = self.resolve_request(request)
        response: Any = None
        for middleware_method in me._view_middleware:
            response = await middleware_method(request, callback, callback_args, callback_kwargs)
            if response:
                break
        if response is None:
            wrapped: Any = self.make_view_atomic(callback)
            if not iscoroutinefunction(wrapped):
                wrapped = sync_to_async(wrapped, thread_sensitive=True)
            try:
                response = await wrapped(request, *callback_args, **callback_kwargs)
            except Exception as e:
                response = await sync_to_async(
                    self.process_exception_by_middleware, thread_sensitive=True
                )(e, request)
                if response is None:
                    raise
        self.check_response(response, callback)
        if hasattr(response, "render") and callable(response.render):
            try:
                if isinstance(getattr(response, "accepted_renderer", None), JSONRenderer):
                    response = response.render()
                elif iscoroutinefunction(response.render):
                    response = await response.render()
                else:
                    response = await sync_to_async(response.render, thread_sensitive=True)()
            except Exception as e:
                response = await sync_to_async(
                    self.process_exception_by_middleware, thread_sensitive=True
                )(e, request)
                if response is None:
                    raise
        if asyncio.iscoroutine(response):
            raise RuntimeError("Response is still a coroutine.")
        _release_view(response)
        return response

    async def read_body(self, receive: Any, limit: int | None = None) -> Any:
        """The body in a ``BytesIO`` (one message that fits in memory) or a spooled
        temporary file; :class:`BodyTooLarge` as soon as it passes ``limit`` bytes."""
        message = await receive()
        if message["type"] == "http.disconnect":
            raise RequestAborted()
        body = message.get("body", b"")
        if limit is not None and len(body) > limit:
            raise self.limits.BodyTooLarge()
        if (
            not message.get("more_body", False)
            and len(body) <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        ):
            return io.BytesIO(body)
        body_file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - handed to the request
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, mode="w+b"
        )
        size = len(body)
        body_file.write(body)
        while message.get("more_body", False):
            message = await receive()
            if message["type"] == "http.disconnect":
                body_file.close()
                raise RequestAborted()
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit is not None and size > limit:
                body_file.close()
                raise self.limits.BodyTooLarge()
            body_file.write(chunk)
        body_file.seek(0)
        return body_file

    async def _signal(self, signal: Any, executor: LazyExecutor, **kwargs: Any) -> None:
        if executor.real is None:
            signal.send(sender=self.__class__, **kwargs)
        else:
            await sync_to_async(signal.send)(sender=self.__class__, **kwargs)

    async def _close(self, response: Any, executor: LazyExecutor) -> None:
        if executor.real is None:
            response.close()
        else:
            await sync_to_async(response.close)()

    async def _handle(
        self, scope: dict[str, Any], receive: Any, send: Any, executor: LazyExecutor
    ) -> None:
        """``ASGIHandler.handle`` with the signals and the close placed as described above."""
        path = scope["path"]
        root = scope.get("root_path", "")
        refused, limit = self.limits.check(
            scope, path[len(root) :] if root and path.startswith(root) else path
        )
        if refused is None:
            try:
                body_file = await self.read_body(receive, limit)
            except RequestAborted:
                return
            except self.limits.BodyTooLarge:
                assert limit is not None
                refused = self.limits.too_large(limit)
        if refused is not None:
            await self.send_response(refused, send)
            return
        set_script_prefix(get_script_prefix(scope))
        await self._signal(signals.request_started, executor, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None
            body_file.close()
            await self.send_response(error_response, send)
            await self._close(error_response, executor)
            return

        async def process_request(request: Any, send: Any) -> Any:
            response = await self.run_get_response(request)
            with contextlib.suppress(asyncio.CancelledError):  # client left during the send
                await self.send_response(response, send)
            return response

        tasks = [
            asyncio.create_task(self.listen_for_disconnect(receive)),
            asyncio.create_task(process_request(request, send)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            if task.done():
                # Read, not re-raised: uvicorn answers the listener's receive() with
                # http.disconnect once the response is sent, so its RequestAborted ends
                # nearly every request, and re-raised here its traceback would hold this
                # frame, which holds the task, which holds the exception: a cycle keeping
                # the request's objects for the cyclic collector (Django's own handle()
                # does so). A cancelled task still raises CancelledError, as result() did.
                exc = task.exception()
                if exc is not None and not isinstance(exc, RequestAborted):
                    if isinstance(exc, AssertionError):
                        body_file.close()
                    raise exc
            else:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        try:
            response = tasks[1].result()
        except asyncio.CancelledError:
            await self._signal(signals.request_finished, executor)
        else:
            await self._close(response, executor)
        body_file.close()


def _release_view(response: Any) -> None:
    """Break the reference cycles of a rendered DRF response's view and request.

    DRF links the view, its request and its response both ways (``view.request``,
    ``view.response``, ``renderer_context["view"]``, ``parser_context["request"]``): each
    request left about sixty objects that only the cyclic garbage collector could free, and
    collections that walked them and every request still in flight took a seventh of a
    64-connection read's time, with pauses up to 100 ms. Once the response is rendered
    nothing reads them: the view is per request, and what the middleware and the handler
    use afterwards (the response's content and headers, ``request.resolver_match``) is kept.
    """
    context = getattr(response, "renderer_context", None)
    if not isinstance(context, dict) or not getattr(response, "is_rendered", False):
        return
    view = context.get("view")
    drf_request = context.get("request")
    parser_context = getattr(drf_request, "parser_context", None)
    if isinstance(parser_context, dict):
        parser_context.clear()
    context.clear()
    if view is not None and isinstance(getattr(view, "__dict__", None), dict):
        view.__dict__.clear()


def get_application() -> TitanASGIHandler:
    """``django.core.asgi.get_asgi_application`` with :class:`TitanASGIHandler`."""
    import django

    django.setup(set_prefix=False)
    return TitanASGIHandler()
