from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "titan_web.tasks"
    label = "tasks"
    verbose_name = "Tasks"
