from django.http import Http404


def detail(request, reference):
    raise Http404


def rate(request, token):
    raise Http404
