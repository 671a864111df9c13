import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Channel, Status
from applications.selectors import waiting_since
from core.models import is_number
from programme.models import Stream

WAITING_CHOICES = [("7", _("more than 7 days")), ("14", _("more than 14 days")), ("30", _("more than 30 days"))]


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("IIN or name"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any status"))
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices, empty_label=_("Any channel"))
    stream = django_filters.ModelChoiceFilter(
        label=_("Stream"), queryset=Stream.objects.select_related("year"), empty_label=_("Any stream")
    )
    waiting = django_filters.ChoiceFilter(
        label=_("Waiting"), choices=WAITING_CHOICES, method="waiting_filter", empty_label=_("Any time")
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(("submitted_at", "submitted"), ("last_name", "name"), ("status", "status")),
        # Ascending labels are keyed by the model field, descending ones by "-<parameter>" (django-filter).
        field_labels={
            "submitted_at": _("Oldest first"),
            "-submitted": _("Newest first"),
            "last_name": _("Surname, A to Z"),
            "-name": _("Surname, Z to A"),
            "status": _("By status"),
            "-status": _("By status, descending"),
        },
        empty_label=None,
    )

    class Meta:
        model = Application
        fields = ["q", "status", "channel", "stream", "waiting"]

    def search(self, queryset, name, value):
        value = value.strip()
        if is_number(value):
            # The masked IIN shows its last four digits (core.pii.mask_iin): they find it too.
            tail = Q(iin__endswith=value) if len(value) == 4 else Q()
            return queryset.filter(Q(iin__startswith=value) | tail)
        terms = value.split()
        for term in terms:
            queryset = queryset.filter(
                Q(last_name__icontains=term)
                | Q(first_name__icontains=term)
                | Q(patronymic__icontains=term)
                | Q(number__icontains=term)
            )
        return queryset

    def waiting_filter(self, queryset, name, value):
        return queryset.filter(status=Status.SUBMITTED, submitted_at__lt=waiting_since(int(value)))
