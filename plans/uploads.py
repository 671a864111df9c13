"""What an uploaded plan file really is, from its content (never from its name or the browser's word)."""

import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_MEMBERS = ("[Content_Types].xml", "word/document.xml")


def detect_type(upload) -> str | None:
    """PDF (starts with %PDF-), DOCX (a readable zip holding [Content_Types].xml and
    word/document.xml), or None for anything else: an .exe or a .txt renamed, an XLSX, a broken zip."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                ok = all(member in names for member in DOCX_MEMBERS) and archive.testzip() is None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            ok = False
        finally:
            upload.seek(0)
        return DOCX if ok else None
    return None
