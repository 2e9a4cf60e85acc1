"""The privacy notice generated from the registry, in English and French (NOTICE-1), and the
five families of purposes it is organised by (PURP-1)."""

from __future__ import annotations

import html

import pytest
from django.utils.text import capfirst

from recommerce.privacy import purposes
from recommerce.privacy.models import NoticeVersion
from recommerce.privacy.notice import labels
from recommerce.privacy.notice.build import (
    LabelMissing,
    labels_missing,
    notice_render,
    purpose_text,
    retention_text,
)
from recommerce.privacy.purposes import ALL, Family
from recommerce.privacy.registry import Erasure, Registry, Retention, personal, registry

LANGUAGES = ("en", "fr")


def _text(fragment: str) -> str:
    return html.unescape(fragment)


def _registry_purposes() -> list[purposes.Purpose]:
    found = {p.code: p for p in ALL} | {p.code: p for f in registry for p in f.purposes}
    return list(found.values())


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return {language: notice_render(language=language) for language in LANGUAGES}


def test_notice_1_every_registered_category_has_labels_and_every_start_a_french_phrase() -> None:
    assert labels_missing() == {
        "categories": [],
        "retention starts": [],
        "recipients": [],
        "purposes (French)": [],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_notice_1_every_category_purpose_and_recipient_appears_in_both_languages(
    rendered: dict[str, str], language: str
) -> None:
    text = _text(rendered[language])
    fields = list(registry)
    assert fields, "the registry is empty: nothing would be checked"
    for item in fields:
        label = labels.CATEGORIES[item.category].get(language)
        assert f'<th scope="row">{label}' in text, (item.model_label, item.field_name)
        assert capfirst(retention_text(item.retention, language)) in text
        for recipient in item.recipients:
            assert labels.RECIPIENTS[recipient].get(language) in text
    for purpose in _registry_purposes():
        assert f'<th scope="row">{purpose_text(purpose, language)}<br><em>' in text, purpose.code
        assert labels.BASES[purpose.basis].get(language) in text


def test_notice_1_a_new_category_without_a_label_stops_the_notice() -> None:
    # A fresh registry: the project's own stays as it is for the other tests.
    test_registry = Registry()
    test_registry.register(
        NoticeVersion,
        personal(
            "summary",
            category="user.hobbies",
            subject="user",
            purposes=[purposes.SERVICE_ACCOUNT],
            retention=Retention(days=30, starts="the hobby's end"),
            erasure=Erasure.DELETE,
            recipients=["a hobby club"],
        ),
    )
    assert labels_missing(reg=test_registry) == {
        "categories": ["user.hobbies"],
        "retention starts": ["the hobby's end"],
        "recipients": ["a hobby club"],
        "purposes (French)": [],
    }
    for language in LANGUAGES:
        with pytest.raises(LabelMissing) as error:
            notice_render(language=language, reg=test_registry)
        assert error.value.missing["categories"] == ["user.hobbies"]
        assert "user.hobbies" in str(error.value)


def test_notice_1_the_french_notice_holds_no_english_label(rendered: dict[str, str]) -> None:
    french = _text(rendered["fr"])
    for code, label in labels.CATEGORIES.items():
        assert label.en != label.fr, code
        assert label.en not in french, code
    for purpose in _registry_purposes():
        assert purpose.description not in french, purpose.code
    for family, label in labels.FAMILIES.items():
        assert label.en not in french, family
    for item in registry:
        assert item.retention.starts not in french, item.retention.starts
    assert 'lang="en"' not in french


def test_notice_1_the_english_notice_holds_no_french_label(rendered: dict[str, str]) -> None:
    english = _text(rendered["en"])
    for code, label in labels.CATEGORIES.items():
        assert label.fr not in english, code
    for purpose in _registry_purposes():
        assert purpose.description_fr not in english, purpose.code


def test_notice_1_retention_periods_in_french() -> None:
    assert retention_text(Retention.in_years(10, starts="the invoice date"), "fr") == (
        "10 ans après la date de la facture"
    )
    assert retention_text(Retention(days=365, starts="the sending"), "fr") == "1 an après l'envoi"
    assert retention_text(Retention(days=90, starts="the cart's last change"), "fr") == (
        "90 jours après la dernière modification du panier"
    )
    assert retention_text(
        Retention(days=None, starts="the person leaves the company or seller"), "fr"
    ) == ("jusqu'au départ de la personne de l'entreprise ou du vendeur")
    assert retention_text(Retention(days=None, starts="the account's erasure"), "fr") == (
        "jusqu'à l'effacement du compte"
    )
    assert retention_text(Retention(days=None, starts="the account's erasure"), "en") == (
        "until the account's erasure"
    )


def test_notice_1_every_purpose_has_a_french_description() -> None:
    assert [p.code for p in ALL if not p.description_fr] == []
    assert [p.code for p in ALL if p.description_fr == p.description] == []


def test_notice_1_the_notice_holds_no_date_so_an_unchanged_registry_renders_the_same() -> None:
    assert notice_render(language="en") == notice_render(language="en")
    assert notice_render(language="fr") == notice_render(language="fr")


def test_notice_1_the_notice_names_the_controller_rights_links_and_deadlines(
    rendered: dict[str, str], settings
) -> None:
    english, french = _text(rendered["en"]), _text(rendered["fr"])
    legal = settings.MARKETPLACE_LEGAL
    for text in (english, french):
        assert legal["name"] in text
        assert legal["address"] in text
        assert legal["registration"] in text
        for path in ("/privacy/mine/", "/privacy/request/", "/privacy/cookies/"):
            assert f'href="{path}"' in text
        assert 'href="/privacy/notice/versions/"' in text
        assert "CNIL" in text
        assert "Global Privacy Control" in text
    for right in (
        "Access and portability",
        "Rectification",
        "Erasure",
        "Restriction",
        "Objection",
        "Withdrawal of consent",
        "Complaint",
        "Right to non-discrimination",
        "We do not sell your personal data.",
        "we do not sell personal information",
        "we answer within 1 month of receiving your request",
        "answer within 45 days",
    ):
        assert right in english, right
    for right in (
        "Accès et portabilité",
        "Rectification",
        "Effacement",
        "Limitation",
        "Opposition",
        "Retrait du consentement",
        "Réclamation",
        "Droit à la non-discrimination",
        "Nous ne vendons pas vos données personnelles.",
        "nous répondons dans un délai de 1 mois",
        "répondons dans les 45 jours",
    ):
        assert right in french, right


def test_notice_1_encrypted_categories_are_marked_and_only_those(rendered: dict[str, str]) -> None:
    # The mark promises encryption at rest: only columns stored encrypted earn it.
    encrypted = {f.category for f in registry if registry.is_encrypted(f)}
    assert encrypted, "no encrypted field registered: nothing would be checked"
    english, french = _text(rendered["en"]), _text(rendered["fr"])
    for code in sorted({f.category for f in registry}):
        label = labels.CATEGORIES[code]
        marked = f'{label.en} <span class="tag tag-muted">encrypted</span>' in english
        assert marked == (code in encrypted), code
        marked = f'{label.fr} <span class="tag tag-muted">chiffré</span>' in french
        assert marked == (code in encrypted), code


def test_notice_1_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="English and French"):
        notice_render(language="de")


def test_purp_1_every_purpose_belongs_to_one_of_the_five_families() -> None:
    assert [family.name for family in Family] == [
        "SERVICE",
        "MARKETING",
        "IMPROVEMENT",
        "FRAUD_SECURITY",
        "LEGAL",
    ]
    for purpose in _registry_purposes():
        assert purpose.family in set(Family), purpose.code
        assert purpose.code in purposes.BY_CODE, purpose.code
    assert set(labels.FAMILIES) == set(Family)


@pytest.mark.parametrize("language", LANGUAGES)
def test_purp_1_each_family_has_its_heading_in_the_notice(
    rendered: dict[str, str], language: str
) -> None:
    text = _text(rendered[language])
    for family in Family:
        title = labels.FAMILIES[family].get(language)
        assert f'<h3 class="panel-subtitle" id="family-{family.name.lower()}">{title}</h3>' in text
    expected = (
        ["Using the service", "Marketing", "Improving the service",
         "Fraud prevention and security", "Legal and tax obligations"]
        if language == "en"
        else ["Utilisation du service", "Prospection commerciale et publicité",
              "Amélioration du service", "Lutte contre la fraude et sécurité",
              "Obligations légales et fiscales"]
    )  # fmt: skip
    positions = [text.index(f">{title}</h3>") for title in expected]
    assert positions == sorted(positions)


def test_notice_1_every_category_row_sits_under_a_known_group() -> None:
    assert {label.group for label in labels.CATEGORIES.values()} <= set(labels.GROUPS)
