"""The privacy notice and the record of processing activities, generated from the registry.

- ``labels``: the words for the registry's codes, in English and French;
- ``build``: the notice's content and its HTML rendering (NOTICE-1);
- ``ropa``: the record of processing activities, as CSV and JSON;
- ``diff``: what changed between a published version and the text generated now;
- ``selectors``: reads of the published versions;
- ``context``: the "notice changed" banner for templates (NOTICE-2);
- ``tasks``: the announcement emails, sent in batches on the worker.

Publishing is the service ``privacy.services.notice.notice_publish``.

When no version has been published yet, the notice page shows the text generated from the
current registry, dated today and marked as not yet published: a visitor always has a
notice to read, and the mark tells staff that the first version is still to be published
(the demo publishes it when it loads its data).
"""
