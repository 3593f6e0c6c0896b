"""The project's URLs plus a bare view (no database, no template): the benchmarks' baseline."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bare__/", bare), *project]
