"""The Django model permissions a role brings with it, and who may open the admin.

The admin asks for model permissions before anything else; the rows and the writes are then
limited by ScopedAdminMixin (the user's data scope and the capability each admin names). So a
role that works in the admin holds the view, add, change and delete permissions of every model
whose admin is scoped, and the scoped admin decides the rest: read-only admins stay read-only,
a township's rows stay the township's, another district's rows stay out of sight.

The permissions are derived from the current memberships on every request rather than stored:
ending a role ends them, and nobody has to keep permission rows in step with the roles. Being
staff (allowed to sign in to the admin at all) follows the same roles: membership_add and
membership_end call `sync_staff`.
"""

from functools import cache

from django.contrib.auth.backends import BaseBackend

from governance import access

#: Roles that keep their district's catalogues and settings in the admin.
ADMIN_ROLES = frozenset({"district_admin"})

ACTIONS = ("view", "add", "change", "delete")


@cache
def scoped_admin_permissions() -> frozenset[str]:
    """ "app_label.action_model" for every model registered with a scoped admin."""
    from django.contrib import admin

    from governance.admin import ScopedAdminMixin

    return frozenset(
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedAdminMixin)
        for action in ACTIONS
    )


def works_in_admin(user) -> bool:
    return access.has_role(user, *ADMIN_ROLES)


class RolePermissionBackend(BaseBackend):
    """Grants the scoped admins' model permissions to the roles in ADMIN_ROLES."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(scoped_admin_permissions()) if works_in_admin(user_obj) else set()

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))


def sync_staff(user, role: str) -> None:
    """After `role` was given or ended: staff while the account holds a role that works in
    the admin. Superusers stay staff; roles outside ADMIN_ROLES leave the flag alone."""
    if role not in ADMIN_ROLES:
        return
    access.forget(user)
    wanted = user.is_superuser or works_in_admin(user)
    if user.is_staff != wanted:
        user.is_staff = wanted
        user.save(update_fields=["is_staff"])
