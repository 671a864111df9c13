"""The certificate's signature container, made from pyHanko's first one (certificates/signing.py
_CmsTemplate): byte for byte what pyHanko itself makes for the same document, and a PDF signed that way
passes the verification page's check."""

import asyncio
import datetime
import hashlib

from certificates import signing


def _pyhankos_own(signer, digest: bytes, **kwargs) -> bytes:
    from pyhanko.sign.signers import SimpleSigner

    return asyncio.run(SimpleSigner.async_sign(signer, digest, "sha256", **kwargs)).dump()


def _ours(signer, digest: bytes, **kwargs) -> bytes:
    return asyncio.run(signer.async_sign(digest, "sha256", **kwargs)).dump()


def test_the_signature_container_is_byte_for_byte_pyhankos_for_every_document():
    """RSA PKCS#1 v1.5 is deterministic: the same digest gives the same bytes, so the quick container can
    be held to pyHanko's own for each of several documents (the first makes the template)."""
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    signer = signing.signer()
    attributes = PdfCMSSignedAttributes(signing_time=datetime.datetime.now(datetime.UTC))
    for n in range(5):
        digest = hashlib.sha256(f"document {n}".encode()).digest()
        ours = _ours(signer, digest, use_pades=True, signed_attr_settings=attributes)
        assert ours == _pyhankos_own(signer, digest, use_pades=True, signed_attr_settings=attributes)
    assert signer._templates[("sha256", True)] is not None  # the quick way was taken after the first


def test_a_signature_of_another_shape_is_left_to_pyhanko():
    """Without PAdES the signing time is a signed attribute: a container of that shape is no template."""
    from asn1crypto import cms
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    signer = signing.signer()
    digest = hashlib.sha256(b"document").digest()
    attributes = PdfCMSSignedAttributes(signing_time=datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC))
    container = _ours(signer, digest, use_pades=False, signed_attr_settings=attributes)
    assert container == _pyhankos_own(signer, digest, use_pades=False, signed_attr_settings=attributes)
    assert signing._CmsTemplate.of(cms.ContentInfo.load(container), digest) is None


def test_pdfs_signed_the_quick_way_pass_the_check_and_name_their_number():
    from weasyprint import HTML

    pdf = HTML(string="<p>Бастау</p>").write_pdf()
    signed = [signing.sign(pdf, f"BST-2026-{n:06d}") for n in range(3)]
    assert [signing.check_pdf(data) for data in signed] == [signing.Check(True, f"BST-2026-{n:06d}") for n in range(3)]
