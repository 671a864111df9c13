"""The certificate PDF's digital signature (PAdES, pyHanko) and its check on the verification page.

The issuer's key and certificate are PEM files named by settings (environment variables
CERTIFICATE_SIGNING_KEY, CERTIFICATE_SIGNING_CERT, CERTIFICATE_SIGNING_PASSPHRASE and, for an
intermediate CA, CERTIFICATE_SIGNING_CHAIN). `make_self_signed_pair()` writes a local pair for
development and the tests (scripts/setup.sh, tests/conftest.py); a deployment brings its own
(README "Signing certificates"). The signer is loaded once per process.

A PDF is one of ours when: it carries exactly one signature; that signature is intact and
cryptographically valid; it was made by our signing certificate (trusted as the only root); it
covers the whole file (nothing was appended or changed after signing); and the number it names
(in the signature's /Reason) is a certificate in our database.
"""

import datetime
import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger("bastau.certificates")

SIGNATURE_FIELD = "BastauSignature"
REASON_PREFIX = "Bastau certificate "


def make_self_signed_pair(directory: Path, *, passphrase: str = "", days: int = 3650) -> tuple[Path, Path]:
    """Write key.pem and cert.pem (a self-signed RSA-2048 signing certificate) into `directory`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bastau programme (local development)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Bastau certificates, self-signed"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: pyHanko asks for it on a signer's certificate
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    key_path.touch(mode=0o600)
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class SigningNotConfigured(RuntimeError):
    pass


def _paths() -> tuple[str, str, str, str]:
    return (
        settings.CERTIFICATE_SIGNING_KEY,
        settings.CERTIFICATE_SIGNING_CERT,
        settings.CERTIFICATE_SIGNING_CHAIN,
        settings.CERTIFICATE_SIGNING_PASSPHRASE,
    )


# The signed attributes pyHanko puts in our PAdES signature (no signing time: PAdES keeps it in /M).
_PLAIN_ATTRIBUTES = ("content_type", "message_digest", "signing_certificate_v2")


@dataclass(frozen=True)
class _CmsTemplate:
    """pyHanko's own CMS signature for one document digest, with the two places that depend on the
    document: the digest in the messageDigest attribute and the RSA signature over the attributes.

    For another document only those change, and both keep their length (a SHA-256 digest is 32 bytes; an
    RSA PKCS#1 v1.5 signature is as long as the key's modulus), so the signature container is the same
    bytes with those two put in. pyHanko spends ~8 ms per signature rebuilding the CMS structures with
    asn1crypto (the certificate is re-encoded each time); this takes ~1 ms, the RSA signature itself.
    tests/certificates/test_signing.py holds it byte-for-byte to pyHanko's output."""

    attributes: bytes  # the signed attributes as signed (DER SET OF)
    digest_at: int  # where the digest starts in `attributes`
    container: bytes  # the whole ContentInfo (DER)
    container_digest_at: int
    signature_at: int
    signature_length: int

    @classmethod
    def of(cls, signed, digest: bytes) -> "_CmsTemplate | None":
        """The template of pyHanko's signature `signed` (a cms.ContentInfo) over `digest`; None when it is
        not the plain shape this handles (then every signature is left to pyHanko)."""
        if signed["content_type"].native != "signed_data":
            return None
        signed_data = signed["content"]
        if len(signed_data["signer_infos"]) != 1:
            return None
        signer_info = signed_data["signer_infos"][0]
        attributes = signer_info["signed_attrs"]
        if tuple(attribute["type"].native for attribute in attributes) != _PLAIN_ATTRIBUTES:
            return None
        if signer_info["unsigned_attrs"].native is not None:
            return None
        if signer_info["signature_algorithm"].signature_algo != "rsassa_pkcs1v15":
            return None  # fixed length (ECDSA's varies; PSS is randomised: both left to pyHanko)
        attributes_der = attributes.untag().dump()  # [0] IMPLICIT in the SignerInfo, a SET when signed
        container = signed.dump()
        signature = signer_info["signature"].native
        for haystack, needle in ((attributes_der, digest), (container, digest), (container, signature)):
            if haystack.count(needle) != 1:
                return None
        return cls(
            attributes=attributes_der,
            digest_at=attributes_der.index(digest),
            container=container,
            container_digest_at=container.index(digest),
            signature_at=container.index(signature),
            signature_length=len(signature),
        )

    def attributes_for(self, digest: bytes) -> bytes:
        return self.attributes[: self.digest_at] + digest + self.attributes[self.digest_at + len(digest) :]

    def container_for(self, digest: bytes, signature: bytes) -> bytes | None:
        if len(signature) != self.signature_length:
            return None
        data = bytearray(self.container)
        data[self.container_digest_at : self.container_digest_at + len(digest)] = digest
        data[self.signature_at : self.signature_at + len(signature)] = signature
        return bytes(data)


def _cached_key_signer_class():
    """pyHanko's SimpleSigner parses the private key again for every signature it makes (twice per PDF:
    once to size the signature, once for real), and cryptography validates an RSA key on each parse:
    ~120 ms a time on these machines. This one parses it once and keeps the key object; and it builds the
    CMS container from pyHanko's first one (_CmsTemplate) rather than anew with asn1crypto each time."""
    from asn1crypto import cms
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash, process_pss_params

    class CachedKeySigner(signers.SimpleSigner):
        _pyca_key = None
        _templates: dict | None = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            if self._pyca_key is None:
                self._pyca_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            key = self._pyca_key
            signature_mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                mechanism = signature_mechanism.signature_algo
            except ValueError:
                mechanism = signature_mechanism["algorithm"].native
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if mechanism == "rsassa_pss" and isinstance(key, rsa.RSAPrivateKey):
                padding, hash_algorithm = process_pss_params(signature_mechanism["parameters"])
                return key.sign(data, padding, hash_algorithm)
            if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, signature_algorithm=ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
            return super().sign_raw(data, digest_algorithm)  # other mechanisms: pyHanko's own way

        async def async_sign(
            self,
            data_digest: bytes,
            digest_algorithm: str,
            dry_run=False,
            use_pades=False,
            timestamper=None,
            signed_attr_settings=None,
            is_pdf_sig=True,
            encap_content_info=None,
        ):
            def pyhanko():
                return super(CachedKeySigner, self).async_sign(
                    data_digest,
                    digest_algorithm,
                    dry_run=dry_run,
                    use_pades=use_pades,
                    timestamper=timestamper,
                    signed_attr_settings=signed_attr_settings,
                    is_pdf_sig=is_pdf_sig,
                    encap_content_info=encap_content_info,
                )

            settings = signed_attr_settings
            plain = (
                not dry_run
                and use_pades  # PAdES: no signing-time attribute, the one input that would change
                and timestamper is None
                and encap_content_info is None
                and self.unsigned_attr_prov_spec is None
                and (settings is None or (settings.cades_signed_attrs is None and settings.adobe_revinfo_attr is None))
            )
            if not plain:
                return await pyhanko()
            templates = self._templates if self._templates is not None else {}
            self._templates = templates
            key = (digest_algorithm, is_pdf_sig)
            if key not in templates:
                signed = await pyhanko()  # the first signature of this process is pyHanko's own
                templates[key] = _CmsTemplate.of(signed, data_digest)
                return signed
            template = templates[key]
            if template is None:
                return await pyhanko()
            signature = self.sign_raw(template.attributes_for(data_digest), digest_algorithm)
            container = template.container_for(data_digest, signature)
            if container is None:
                return await pyhanko()
            return cms.ContentInfo.load(container)

    return CachedKeySigner


@functools.cache
def _signer(key_path: str, cert_path: str, chain_path: str, passphrase: str):
    from pyhanko.sign import signers

    if not (Path(key_path).is_file() and Path(cert_path).is_file()):
        raise SigningNotConfigured(
            "No signing key/certificate: set CERTIFICATE_SIGNING_KEY and CERTIFICATE_SIGNING_CERT, or run "
            "`manage.py certificate_signing_pair` for a local self-signed pair."
        )
    signer = signers.SimpleSigner.load(
        key_path,
        cert_path,
        ca_chain_files=(chain_path,) if chain_path else None,
        key_passphrase=passphrase.encode() if passphrase else None,
    )
    if signer is None:
        raise SigningNotConfigured("The signing key or certificate could not be read (wrong passphrase?).")
    signer.__class__ = _cached_key_signer_class()
    return signer


@functools.cache
def _bytes_reserved(cert_path: str, chain_path: str) -> int:
    """Room for the signature (CMS: the signature value, our certificate and the chain), so pyHanko
    need not make a dummy signature first to measure it."""
    certificates = sum(Path(p).stat().st_size for p in (cert_path, chain_path) if p)
    return 4096 + certificates


def signer():
    return _signer(*_paths())


@functools.cache
def _our_certificate(cert_path: str):
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(cert_path)


def our_certificate():
    return _our_certificate(settings.CERTIFICATE_SIGNING_CERT)


def sign(pdf: bytes, number: str) -> bytes:
    """The PDF with a PAdES signature over the whole file, naming the certificate's number."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=REASON_PREFIX + number,
        location="Kazakhstan",
    )
    reserved = _bytes_reserved(settings.CERTIFICATE_SIGNING_CERT, settings.CERTIFICATE_SIGNING_CHAIN)
    return signers.sign_pdf(writer, metadata, signer=signer(), bytes_reserved=reserved).getvalue()


@dataclass(frozen=True)
class Check:
    genuine: bool  # a signature of ours over the whole, unchanged file
    number: str = ""  # the certificate number the signature names
    problem: str = ""  # why not, for the log (the page words it for people)


def check_pdf(data: bytes) -> Check:
    """Whether the bytes are a PDF signed by us and unchanged since; the number it was signed for."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return Check(False, problem=f"{len(signatures)} signatures")
        embedded = signatures[0]
        ours = our_certificate()
        context = ValidationContext(trust_roots=[ours], allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
    except Exception as exc:  # not a PDF, a broken file, a signature that does not parse
        return Check(False, problem=f"unreadable: {type(exc).__name__}")
    reason = str(embedded.sig_object.get("/Reason", ""))
    number = reason.removeprefix(REASON_PREFIX) if reason.startswith(REASON_PREFIX) else ""
    if not (status.intact and status.valid):
        return Check(False, number, "altered")
    if not status.trusted or status.signing_cert.sha256 != ours.sha256:
        return Check(False, number, "not our signing certificate")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Check(False, number, "changed after signing")
    if not number:
        return Check(False, number, "no certificate number")
    return Check(True, number)
