from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from titan_web.accounts.models import RefreshToken, User


@admin.register(User)
class TitanUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "Trading preferences",
            {
                "fields": (
                    "capital",
                    "cost_bps",
                    "slippage_bps",
                    "borrow_rate",
                    "timezone",
                    "default_params",
                )
            },
        ),
    )
    list_display = ("username", "email", "is_staff", "capital", "cost_bps", "timezone")


@admin.register(RefreshToken)
class RefreshTokenAdmin(admin.ModelAdmin):
    list_display = ("jti", "user", "family", "created_at", "expires_at", "used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "family")
    readonly_fields = ("jti", "family", "user", "created_at", "expires_at", "used_at")
