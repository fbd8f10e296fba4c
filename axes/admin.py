from django.contrib import admin
from django.db.models import Count

from .models import Axis, DiagnosisElement, Enjeu


class DiagnosisElementInline(admin.TabularInline):
    model = DiagnosisElement
    extra = 0


class EnjeuInline(admin.TabularInline):
    model = Enjeu
    extra = 0


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "short_label",
        "title",
        "status",
        "validated_on",
        "enjeu_count",
    ]
    list_display_links = ["number", "short_label"]
    list_filter = ["status"]
    search_fields = ["title", "short_label", "problem_statement"]
    inlines = [DiagnosisElementInline, EnjeuInline]
    # Validated by the commission's rounds (with their decision and audit
    # entry), never by hand.
    readonly_fields = ["status", "validated_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_enjeu_count=Count("enjeux"))

    @admin.display(description="enjeux", ordering="_enjeu_count")
    def enjeu_count(self, obj):
        return obj._enjeu_count


@admin.register(Enjeu)
class EnjeuAdmin(admin.ModelAdmin):
    list_display = ["__str__", "axis", "position"]
    list_filter = ["axis"]
    list_select_related = ["axis"]
    search_fields = ["title", "description"]


@admin.register(DiagnosisElement)
class DiagnosisElementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "axis", "bassin", "position"]
    list_filter = ["axis", "bassin"]
    list_select_related = ["axis", "bassin"]
    search_fields = ["text"]
