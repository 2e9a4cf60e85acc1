"""Commission rules: one per scope, the most specific applies."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from recommerce.orders.models import CommissionRule
from recommerce.orders.services.commissions import commission_rate_bp
from tests import factories

pytestmark = pytest.mark.django_db


def test_one_rule_per_scope_even_the_default_one_on_every_database():
    seller = factories.seller()
    category = factories.category("Tablets")
    CommissionRule.objects.create(rate_bp=1200)
    CommissionRule.objects.create(seller=seller, rate_bp=900)
    CommissionRule.objects.create(seller=seller, category=category, rate_bp=700)
    for scope in ({}, {"seller": seller}, {"seller": seller, "category": category}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CommissionRule.objects.create(rate_bp=100, **scope)
    assert CommissionRule.objects.count() == 3
    assert commission_rate_bp(seller_id=seller.pk, category_id=category.pk) == 700
    assert commission_rate_bp(seller_id=seller.pk, category_id=None) == 900
    assert commission_rate_bp(seller_id=factories.seller().pk, category_id=None) == 1200
