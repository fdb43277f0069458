"""Column layouts of the exports SDRs bring: Apollo, Sales Navigator tools, LinkedIn, HubSpot.

A preset maps normalized header text (see ``mapping.header_key``) to targets. Detection picks the
preset whose signature headers are all present.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    signature: frozenset[str]
    columns: dict[str, str]
    source: str


APOLLO = Preset(
    name="apollo",
    label="Apollo people export",
    signature=frozenset({"personlinkedinurl"}),
    source="Apollo",
    columns={
        "firstname": "first_name",
        "lastname": "last_name",
        "title": "title",
        "company": "company_name",
        "email": "email",
        "emailstatus": "email_status",
        "personlinkedinurl": "linkedin_url",
        "website": "company_website",
        "industry": "company_industry",
        "employees": "company_size",
        "companylinkedinurl": "company_linkedin_url",
        "workdirectphone": "phone",
        "city": "city",
        "state": "region",
        "country": "country",
        "companycity": "company_city",
        "companystate": "company_region",
        "companycountry": "company_country",
    },
)

# Sales Navigator lists come out of Findymail, Evaboot and the like with these headers.
SALES_NAVIGATOR = Preset(
    name="sales_navigator",
    label="Sales Navigator export (Findymail, Evaboot)",
    signature=frozenset({"salesnavigatorurl"}),
    source="Sales Navigator",
    columns={
        "firstname": "first_name",
        "lastname": "last_name",
        "fullname": "full_name",
        "jobtitle": "title",
        "title": "title",
        "companyname": "company_name",
        "company": "company_name",
        "email": "email",
        "emailstatus": "email_status",
        "linkedinurl": "linkedin_url",
        "linkedinprofileurl": "linkedin_url",
        "profileurl": "linkedin_url",
        "companywebsite": "company_website",
        "companydomain": "company_website",
        "domain": "company_website",
        "location": "location",
        "industry": "company_industry",
        "companyindustry": "company_industry",
        "companysize": "company_size",
        "companylinkedinurl": "company_linkedin_url",
    },
)

LINKEDIN_CONNECTIONS = Preset(
    name="linkedin_connections",
    label="LinkedIn Connections.csv",
    signature=frozenset({"firstname", "lastname", "url", "connectedon"}),
    source="LinkedIn connections",
    columns={
        "firstname": "first_name",
        "lastname": "last_name",
        "url": "linkedin_url",
        "emailaddress": "email",
        "company": "company_name",
        "position": "title",
    },
)

HUBSPOT = Preset(
    name="hubspot",
    label="HubSpot contacts export",
    signature=frozenset({"recordid", "lifecyclestage"}),
    source="HubSpot",
    columns={
        "firstname": "first_name",
        "lastname": "last_name",
        "email": "email",
        "phonenumber": "phone",
        "jobtitle": "title",
        "companyname": "company_name",
        "websiteurl": "company_website",
        "city": "city",
        "stateregion": "region",
        "countryregion": "country",
        "streetaddress": "address",
        "postalcode": "postal_code",
        "linkedinurl": "linkedin_url",
        "timezone": "timezone",
        "industry": "company_industry",
    },
)

PRESETS = {p.name: p for p in (APOLLO, SALES_NAVIGATOR, LINKEDIN_CONNECTIONS, HUBSPOT)}


def preset_detect(header_keys: set[str]) -> Preset | None:
    """The preset whose signature headers the file has (most specific first), if any."""
    for preset in sorted(PRESETS.values(), key=lambda p: -len(p.signature)):
        if preset.signature <= header_keys:
            return preset
    return None
