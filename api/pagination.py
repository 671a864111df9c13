from rest_framework.pagination import PageNumberPagination

from core.pagination import Paginator


class Pages(PageNumberPagination):
    """`?page=2&page_size=100`: 50 rows by default, at most 200; a stable order, deep pages by key."""

    django_paginator_class = Paginator

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
