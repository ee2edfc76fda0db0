// Package api serves the sink's stored stories and agreement alerts over
// HTTP: a JSON API, a small HTML page and an Atom feed.
//
// # Routes
//
//	GET /api/stories        stories, newest first
//	GET /api/stories/{id}   one story, with its text; 404 for an unknown id
//	GET /api/alerts         agreement alerts, newest first
//	GET /                   the web page: search, filters, stories and deals
//	GET /stories/{id}       a story's page, its evidence highlighted in the text
//	GET /deals/{alert key}  a deal's page: every report of it
//	GET /sources            each source's stories
//	GET /feed.atom          Atom feed (RFC 4287), filtered like /api/stories
//	                        (without cursor); bare, the Russia–China stories;
//	                        deal=<alert key>, one deal's reports. Answers with
//	                        ETag and Last-Modified, and 304 to a request whose
//	                        If-None-Match or If-Modified-Since still holds.
//	                        An entry's summary is the story's lead.
//
// # Query parameters of /api/stories
//
//	q=WORDS                 full-text search of title and text (package search):
//	                        every word, as a word prefix; "quoted" phrases
//	rucn=true|false         Russia–China technology stories only, or the others
//	topic=TOKEN             stories tagged with the topic (any of their topics)
//	entity=ID               stories naming the entity (entities[].id)
//	lang=CODE, source=ID    stories in the language, from the source
//	agreement=true|false    stories that report a signed agreement, or not
//	stage=STAGE             stories whose agreement is at the stage (intent,
//	                        negotiation, signed, implemented, rejected)
//	deal=ALERT_KEY          the reports of one deal: the stories linked to
//	                        the alert with that key
//	grouped=true|false      each group of copies of one story once, as its
//	                        newest story the filters select (default false;
//	                        the web page's default is true)
//	group=GROUP_ID          the copies of one story
//	since=TIME, until=TIME  publication time: stories whose "time" (published_at,
//	                        else when fetched) is at or after since, before until
//	stored_since=TIME,      arrival time: stories the sink first stored
//	stored_until=TIME       (stored_at) at or after stored_since, before stored_until
//	limit=N                 page size, 1 to 500, default 50
//	cursor=CURSOR           the next page: the next_cursor of the previous one
//	                        (before=CURSOR is its older name, still accepted)
//
// A TIME is an RFC 3339 time (2026-03-01T00:00:00Z), a day (2026-03-01:
// from its start for since, to its end for until, in UTC) or a duration
// back from now: 24h, 90m, 7d.
//
// /api/alerts takes limit only, /api/stories/{id} nothing, /feed.atom the
// filters (not cursor). A malformed,
// repeated, out-of-range or unknown parameter answers 400 with
// {"error": "..."} naming it: a misspelt filter is an error, never a
// silently unfiltered list. Every error answer of /api/ is such a JSON
// object.
//
// # JSON fields
//
// Names are snake_case and stable: fields are only ever added. Every field is
// always present; an unknown time is null, an empty list is [].
//
// /api/stories answers {"stories": [STORY…], "next_cursor": "…"}, where
// next_cursor is "" on the last page; pass it as cursor= (with the same
// filters) for the next page. Stories are ordered by time, newest first,
// and a cursor is a position in that order, so stories arriving meanwhile
// never shift a page. /api/stories/{id} answers one STORY
// with paragraphs added. A STORY is:
//
//	id                          article id (derived from the canonical URL)
//	url, canonical_url          the article's address as fetched, and canonical
//	source_id                   the configured source it came from
//	title, byline, lang         lang is an ISO 639-1 code such as "en", "ru", "zh"
//	site_name
//	published_at                RFC 3339, null when the page did not say
//	time                        the time stories are ordered by: published_at,
//	                            else when fetched, never later than stored_at
//	stored_at, updated_at       when the sink first stored it and last changed it
//	ru_cn_tech                  true for a Russia–China technology story
//	score                       the classifier's confidence in ru_cn_tech, 0 to 1
//	primary_topic, topics       taxonomy topic tokens, strongest first
//	entities                    [{id, name, kind, country, count}]
//	agreement                   null, or {detected, stage, kind, parties,
//	                            technology, subject, date, evidence, key}; key
//	                            is the classifier's agreement key (below),
//	                            subject "" where the report named none
//	agreement_first_article_id  for a story reporting a signed agreement, the id
//	                            of the first stored article about it (its own id
//	                            for the first); "" otherwise
//	agreement_alert_key         for a story reporting a signed agreement, the
//	                            key of that agreement's alert; "" otherwise
//	evidence                    [{tag, sentence}]: the sentences that decided tags
//	taxonomy_version
//	group_id, group_size,       the story's group of copies (wire copy,
//	group_sources               reprints; see store.GroupInfo): the id of its
//	                            first story, its stories and their sources;
//	                            "", 0, 0 for a story without a fingerprint
//	paragraphs                  the article text (only in /api/stories/{id})
//
// /api/alerts answers {"alerts": [ALERT…]}. An ALERT is:
//
//	key                         alert key, unique to the agreement (below)
//	raised_at                   when the first article claimed the agreement
//	                            (just before it was stored)
//	first_article               {id, url, title, lang, source_id}
//	parties, party_names        entity ids and display names, same order
//	kind, technology, evidence  as the first report gives them
//	date                        the signing date: the finest any report of
//	                            the deal stated so far (YYYY-MM-DD, YYYY-MM
//	                            or YYYY), "" while none did
//	deal                        the first report's deal: {cn, ru (each a list
//	                            of {id, name, group}), kind, technology,
//	                            subject, signed_on}
//	report_count                stored stories about the agreement, first included
//
// A story's agreement carries the same deal object.
//
// # Deals and alert keys
//
// A story's agreement.key, rucn:<cn>+<ru>/<topic>[/<subject>], names the
// first party of each side as the report names it (the country id, "cn" or
// "ru", for a side that names only its country), the deal's topic and,
// where the report names one, its subject: what the deal is about, finer
// than the topic (lunar, navigation, a named plant such as xudapu).
//
// The sink does not match reports by key but by the deal's fields
// (agreement.deal; see package pkg/deal): two reports are one deal when, on
// each side, they name a party group in common or either names only the
// country; they have the same subject, or, where either names none, the
// same technology; and their dates agree: two stated signing dates must agree
// at the precision both have, a stated date and an undated report agree when
// the report came out from the signing to the agreement window (30 days by
// default) after it, and two undated reports when they came out within the
// window of each other. Dates are the reports' own (a stated signing date,
// else the story's publication time), not when the sink received them, so
// a backlog or a replay alerts as the same stories would have live. A
// report joins the oldest agreement it is the same deal as and adds what it
// knows (party groups, the subject, a finer signing date); any other report
// is a new agreement with an alert of its own. Each agreement has an alert
// key:
//
//	<key>@<month>       the agreement key of its first report and the month
//	                    of the deal (the stated signing date's, else the first
//	                    report's publication), e.g.
//	                    rucn:huawei+mts/telecom/mobile@2019-06; a signing
//	                    stated only to the year gives the year
//	<key>@<month>~2     where another agreement holds that already (~3, …)
//
// An alert key is stable: it names the same agreement in the alert, its
// webhook, its AgreementAlert event and its stories' agreement_alert_key.
package api
