// Package api serves the sink's stored stories and agreement alerts over
// HTTP: a JSON API, a small HTML page and an Atom feed.
//
// # Routes
//
//	GET /api/stories        stories, newest first
//	GET /api/stories/{id}   one story, with its text; 404 for an unknown id
//	GET /api/alerts         agreement alerts, newest first
//	GET /                   HTML page of recent Russia–China stories and alerts
//	GET /feed.atom          Atom feed of Russia–China stories
//
// # Query parameters of /api/stories
//
//	rucn=true|false         Russia–China technology stories only, or the others
//	topic=TOKEN             stories tagged with the topic (any of their topics)
//	agreement=true|false    stories that report a signed agreement, or not
//	since=RFC3339|DURATION  stories at or after a time, or within a duration
//	                        back from now: 2026-03-01T00:00:00Z, 24h, 90m, 7d
//	limit=N                 page size, 1 to 500, default 50
//	before=CURSOR           the next page: the next_cursor of the previous one
//
// /api/alerts takes limit only. A malformed, repeated or out-of-range
// parameter answers 400 with {"error": "..."}; unknown parameters are
// ignored. Every error answer of /api/ is such a JSON object.
//
// # JSON fields
//
// Names are snake_case and stable: fields are only ever added. Every field is
// always present; an unknown time is null, an empty list is [].
//
// /api/stories answers {"stories": [STORY…], "next_cursor": "…"}, where
// next_cursor is "" on the last page. /api/stories/{id} answers one STORY
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
//	paragraphs                  the article text (only in /api/stories/{id})
//
// /api/alerts answers {"alerts": [ALERT…]}. An ALERT is:
//
//	key                         alert key, unique to the agreement (below)
//	raised_at                   when the first article claimed the agreement
//	                            (just before it was stored)
//	first_article               {id, url, title, lang, source_id}
//	parties, party_names        entity ids and display names, same order
//	kind, technology, date, evidence
//	report_count                stored stories about the agreement, first included
//
// # Agreement keys and alert keys
//
// A story's agreement.key is coarse on purpose, so that one deal gets the
// same key in many reports even where a report names only a country:
//
//	rucn:<cn-org>+ru/<topic>[/<subject>]   a Chinese organisation is a party
//	rucn:cn+<ru-org>/<topic>[/<subject>]   only a Russian organisation is named
//	rucn:cn+ru/<topic>[/<subject>]         only the countries are
//
// where the subject, when the report names one, is what the deal is about,
// finer than its topic (lunar, navigation, a named plant such as xudapu).
// Reports of one deal can still get different keys (rucn:cn+rosatom/energy/xudapu
// and rucn:cnnc+ru/energy/xudapu), and different deals can share one
// (Huawei's 5G deal with MTS and its 5G deal with NTI both have
// rucn:huawei+ru/telecom). So the sink matches reports by what the key stands
// for: the subject (agreement.subject, else the key's subject segment), the
// topic (agreement.technology, else the key's topic segment) and the parties,
// one per side, a side that names only its country being unspecified. A
// report is about an agreement already alerted when, side by side, their
// parties are equal or one is unspecified, and they have the same subject,
// or, where either names none, the same topic, within the sink's agreement
// window (90 days by default) from the agreement's first report; of several
// such agreements, the oldest. So a lunar deal and a navigation deal of the
// same parties are two agreements, and a report naming no subject joins one
// of its topic. Each agreement has an alert key:
//
//	<key>                         the agreement key of the agreement's first
//	                              report
//	<key>~<cn-party>+<ru-party>   where another, live agreement holds that
//	                              key already, by the parties of the first
//	                              report (an unspecified side as "cn" or
//	                              "ru"), e.g. rucn:huawei+ru/telecom~huawei+nti
//
// and, should that suffix be taken already, ~2, ~3, … after it. An alert key
// is stable: it names the same agreement in the alert, its webhook, its
// AgreementAlert event and its stories' agreement_alert_key. An agreement
// older than the window frees its key for the next new agreement that would
// take it.
package api
