from __future__ import annotations

import pytest

from recommerce.catalog.models import SearchTerm
from recommerce.catalog.tasks import search_terms_refresh
from tests import factories as f


@pytest.mark.django_db
def test_the_hourly_task_adds_words_of_new_models_to_the_vocabulary():
    f.offer(f.variant(f.device_model("Galaxy Z Fold5", brand_name="Samsung"), storage_gb=512))
    assert not SearchTerm.objects.filter(term="fold5").exists()
    search_terms_refresh.call_local()
    assert SearchTerm.objects.get(term="fold5").frequency == 1
    assert SearchTerm.objects.filter(term="samsung").exists()
