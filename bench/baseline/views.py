from django.http import Http404, HttpResponse
from django.shortcuts import render

from .models import Case


def hello(request):
    return HttpResponse("hello")


def lookup(request, number):
    case = Case.objects.filter(number=number).only("number", "status", "submitted_at").first()
    if case is None:
        raise Http404
    return render(request, "baseline/lookup.html", {"case": case})
