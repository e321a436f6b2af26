from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "titan_web.research"
    label = "research"
    verbose_name = "Research"
