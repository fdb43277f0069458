"""Places on crm's pages that other apps fill at start-up, one registry per kind.

crm never imports the apps built on it: pipelines, outreach and integrations register their
leads-table columns, filters, bulk actions, navigation badges, lead-page actions and list-page
columns here from their ``AppConfig.ready()``, and the pages read the registries.
"""
