"""The claims API with files: a claim opened with its photos (a multipart form), and the
claim's own conversation (``/claims/{reference}/messages`` and ``/attachments``)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recommerce.support.models import Attachment, Claim, Message
from tests.support.conftest import ClaimWorld, image_bytes, signed_in

pytestmark = pytest.mark.django_db
API = "/api/v1"
# The smallest MP4 the content check reads: a ``ftyp`` box of the ISO base media format.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


def _photo(name: str = "dent.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


def test_a_damaged_parcel_is_reported_with_its_photo_once_per_key(
    claim_world: ClaimWorld,
) -> None:
    client = signed_in(claim_world.buyer)
    url = f"{API}/orders/{claim_world.order.number}/claims/with-files"
    form = {"kind": "transit_damage", "requested": "replacement", "description": "Cracked"}
    first = client.post(url, {**form, "evidence": [_photo()]}, HTTP_IDEMPOTENCY_KEY="d-1")
    assert first.status_code == 201, first.content
    claim = Claim.objects.get()
    assert (claim.kind, claim.status) == ("transit_damage", "open")
    (attachment,) = Attachment.objects.filter(message__conversation__order=claim_world.order)
    assert (attachment.content_type, attachment.name) == ("image/jpeg", "dent.jpg")
    again = client.post(url, {**form, "evidence": [_photo()]}, HTTP_IDEMPOTENCY_KEY="d-1")
    assert (again.status_code, again.json()) == (201, first.json())
    assert (Claim.objects.count(), Attachment.objects.count()) == (1, 1)


def test_the_files_operation_refuses_json_and_files_that_are_not_pictures(
    claim_world: ClaimWorld,
) -> None:
    client = signed_in(claim_world.buyer)
    url = f"{API}/orders/{claim_world.order.number}/claims/with-files"
    body = {"kind": "transit_damage", "requested": "replacement"}
    as_json = client.post(url, json.dumps(body), content_type="application/json")
    assert as_json.status_code == 415
    program = SimpleUploadedFile("dent.jpg", b"MZ\x90\x00" + b"\x00" * 64)
    refused = client.post(url, {**body, "evidence": [program]})
    assert refused.status_code == 400, refused.content
    assert not Claim.objects.exists() and not Attachment.objects.exists()
    stranger = signed_in(claim_world.stranger).post(url, {**body, "evidence": [_photo()]})
    assert stranger.status_code == 404
    assert not Claim.objects.exists()


def test_a_claims_conversation_and_a_video_of_the_defect(claim_world: ClaimWorld) -> None:
    claim = claim_world.open(
        kind=Claim.Kind.WARRANTY,
        requested=Claim.Resolution.REPAIR,
        reason_code="",
        description="The screen flickers once warm.",
    )
    client = signed_in(claim_world.buyer)
    posted = client.post(
        f"{API}/claims/{claim.reference}/messages",
        json.dumps({"body": "It happens after ten minutes; call me on 06 12 34 56 78."}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="m-1",
    )
    assert posted.status_code == 201, posted.content
    assert "[phone number hidden]" in posted.json()["message"]["body"]
    assert posted.json()["note"]
    video = SimpleUploadedFile("flicker.mp4", MP4, content_type="video/mp4")
    sent = client.post(
        f"{API}/claims/{claim.reference}/attachments",
        {"files": [video], "body": "The video"},
        HTTP_IDEMPOTENCY_KEY="a-1",
    )
    assert sent.status_code == 201, sent.content
    assert [a["content_type"] for a in sent.json()["message"]["attachments"]] == ["video/mp4"]
    thread = client.get(f"{API}/claims/{claim.reference}/messages").json()
    assert [m["body"] for m in thread["messages"]][-1] == "The video"
    assert (
        signed_in(claim_world.stranger).get(f"{API}/claims/{claim.reference}/messages").status_code
        == 404
    )
    before = Message.objects.count()
    other = signed_in(claim_world.stranger).post(
        f"{API}/claims/{claim.reference}/attachments", {"files": [_photo()]}
    )
    assert other.status_code == 404 and Message.objects.count() == before


def test_a_return_takes_no_video(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    video = SimpleUploadedFile("box.mp4", MP4, content_type="video/mp4")
    refused = signed_in(claim_world.buyer).post(
        f"{API}/claims/{claim.reference}/attachments", {"files": [video]}
    )
    assert refused.status_code == 400, refused.content
    assert not Attachment.objects.exists()
