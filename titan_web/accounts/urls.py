from django.urls import path

from titan_web.accounts import apis

urlpatterns = [
    path("token", apis.TokenObtainApi.as_view(), name="auth-token"),
    path("refresh", apis.TokenRefreshApi.as_view(), name="auth-refresh"),
    path("logout", apis.TokenLogoutApi.as_view(), name="auth-logout"),
    path("me", apis.UserMeApi.as_view(), name="auth-me"),
]
