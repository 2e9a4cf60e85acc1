"""``django.contrib.admin`` with the access-logging site as ``admin.site`` (SEC-1).

Apart from ``admin_site``, which imports models and so cannot load while the apps do.
"""

from django.contrib.admin.apps import AdminConfig as BaseAdminConfig


class AdminConfig(BaseAdminConfig):
    default_site = "recommerce.privacy.admin_site.AccessLoggedAdminSite"
