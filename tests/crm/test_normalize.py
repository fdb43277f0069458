"""Real-world variants of the identities leads are deduplicated by."""

import pytest

from crm.normalize import (
    InvalidValue,
    company_domain,
    domain_from_email,
    domain_from_website,
    normalize_email,
    normalize_linkedin_url,
)

CANONICAL = "https://www.linkedin.com/in/jane-doe/"


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/in/jane-doe/",
        "https://www.linkedin.com/in/jane-doe",
        "http://www.linkedin.com/in/jane-doe/",
        "www.linkedin.com/in/jane-doe",
        "linkedin.com/in/jane-doe/",
        "https://linkedin.com/in/jane-doe/",
        "https://fr.linkedin.com/in/jane-doe/",
        "https://uk.linkedin.com/in/jane-doe",
        "https://m.linkedin.com/in/jane-doe/",
        "https://www.linkedin.com/in/jane-doe/en/",
        "https://www.linkedin.com/in/jane-doe/en",
        "https://www.linkedin.com/in/jane-doe/?originalSubdomain=fr",
        "https://www.linkedin.com/in/jane-doe?trk=public_profile#experience",
        "https://www.linkedin.com/in/Jane-Doe/",
        "HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE/",
        "  https://www.linkedin.com/in/jane-doe/  ",
        "https://www.linkedin.com/in/jane%2Ddoe/",
        "https://www.linkedin.com/in/jane-doe/details/experience/",
    ],
)
def test_linkedin_variants_become_one_canonical_url(raw):
    assert normalize_linkedin_url(raw) == CANONICAL


def test_unicode_slugs_are_the_same_encoded_or_not():
    encoded = normalize_linkedin_url("https://www.linkedin.com/in/ren%C3%A9e-dupont/")
    plain = normalize_linkedin_url("linkedin.com/in/renée-dupont")
    assert encoded == plain == "https://www.linkedin.com/in/renée-dupont/"


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/company/acme/",
        "https://www.linkedin.com/sales/lead/ACwAA,NAME",
        "https://example.com/in/jane-doe/",
        "https://www.linkedin.com/in/",
        "https://notlinkedin.com/in/jane/",
    ],
)
def test_non_profile_urls_are_refused(raw):
    with pytest.raises(InvalidValue):
        normalize_linkedin_url(raw)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank_linkedin_is_none(raw):
    assert normalize_linkedin_url(raw) is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("jane@acme.com", "jane@acme.com"),
        ("  Jane@Acme.COM ", "jane@acme.com"),
        ("JANE.DOE+SALES@ACME.CO.UK", "jane.doe+sales@acme.co.uk"),
        ("<jane@acme.com>", "jane@acme.com"),
        ("mailto:jane@acme.com", "jane@acme.com"),
        ("jane@acme.com\t", "jane@acme.com"),
        ("o'brien@acme.ie", "o'brien@acme.ie"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_emails_are_trimmed_and_lowercased(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "jane",
        "jane@",
        "@acme.com",
        "jane@acme",
        "jane doe@acme.com",
        "jane@@acme.com",
        "jane..doe@acme.com",
        "jane@acme..com",
        "jane@-acme.com",
        "a" * 250 + "@acme.com",
    ],
)
def test_malformed_emails_are_refused(raw):
    with pytest.raises(InvalidValue):
        normalize_email(raw)


@pytest.mark.parametrize(
    "website, expected",
    [
        ("https://www.acme.com", "acme.com"),
        ("http://acme.com/about?x=1", "acme.com"),
        ("www.Acme.com", "acme.com"),
        ("acme.com", "acme.com"),
        ("https://shop.acme.co.uk/", "shop.acme.co.uk"),
        ("https://www.acme.com:8443/", "acme.com"),
        ("https://bücher.de", "xn--bcher-kva.de"),
        ("not a website", None),
        ("http://[acme.com", None),  # an unclosed IPv6 literal: no host, not a crash
        ("", None),
        (None, None),
    ],
)
def test_domain_from_website(website, expected):
    assert domain_from_website(website) == expected


@pytest.mark.parametrize(
    "email, expected",
    [
        ("jane@acme.com", "acme.com"),
        ("jane@ACME.com", "acme.com"),
        ("jane@gmail.com", None),
        ("jane@googlemail.com", None),
        ("jane@outlook.com", None),
        ("jane@hotmail.co.uk", None),
        ("jane@yahoo.fr", None),
        ("jane@icloud.com", None),
        ("jane@proton.me", None),
        ("no-at-sign", None),
        (None, None),
    ],
)
def test_domain_from_email_ignores_free_mail(email, expected):
    assert domain_from_email(email) == expected


def test_company_domain_prefers_the_website():
    assert company_domain(website="https://www.acme.com", email="jane@acme-mail.com") == "acme.com"
    assert company_domain(website="", email="jane@initech.io") == "initech.io"
    assert company_domain(website="https://gmail.com", email="jane@gmail.com") is None
