package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// Country ids the classifier gives a side of an agreement that names no
// organisation.
const (
	CountryCN = "cn"
	CountryRU = "ru"
)

// Parties are the two sides of an agreement: the party groups each side
// names, sorted; a side that names only its country has none.
type Parties struct {
	CN, RU []string
}

// String returns the parties as "<cn>+<ru>", each side's groups joined by
// ",", a side without any as its country id.
func (p Parties) String() string {
	side := func(g []string, country string) string {
		if len(g) == 0 {
			return country
		}
		return strings.Join(g, ",")
	}
	return side(p.CN, CountryCN) + "+" + side(p.RU, CountryRU)
}

// Deal is what one report says of its agreement: the classifier's key,
// which names the alert of a claim the report makes, and the deal's
// identity (deal.Report), which decides which claim the report belongs to.
type Deal struct {
	// Key is the classifier's agreement key, rucn:<cn>+<ru>/<topic>[/<subject>].
	Key string
	deal.Report
}

// DealOf returns the deal a's agreement reports, dated by a's publication
// time, else its fetch time (else, for an event carrying neither, now).
func DealOf(a *newspipev1.EnrichedArticle, now time.Time) Deal {
	reported := now
	switch {
	case a.GetArticle().GetPublishedAt() != nil:
		reported = a.GetArticle().GetPublishedAt().AsTime()
	case a.GetTimes().GetFetchedAt() != nil:
		reported = a.GetTimes().GetFetchedAt().AsTime()
	case a.GetArticle().GetTimes().GetFetchedAt() != nil:
		reported = a.GetArticle().GetTimes().GetFetchedAt().AsTime()
	}
	ag := a.GetAgreement()
	return Deal{Key: ag.GetKey(), Report: deal.FromProto(ag, reported)}
}

// Group returns d's match group: "s:<subject>" for a deal with a subject,
// else "t:<topic>". Claims are decided one match group at a time (see
// ClaimAgreement).
func (d Deal) Group() string {
	if d.Subject != "" {
		return "s:" + d.Subject
	}
	return "t:" + d.Topic
}

// lockGroups returns the match groups whose claims d may match or change:
// its own, and for a deal with a subject also its topic's, since it may
// match (and give its subject to) a claim without one.
func (d Deal) lockGroups() []string {
	if d.Subject != "" {
		return []string{d.Group(), "t:" + d.Topic}
	}
	return []string{d.Group()}
}

// dealMonth is the month (or, for a signing known to the year, the year)
// that names a claim of d in its alert key: when it was signed, else when
// its first report came out.
func dealMonth(d deal.Report) string {
	switch {
	case d.Signed.Month != 0:
		return fmt.Sprintf("%04d-%02d", d.Signed.Year, d.Signed.Month)
	case d.Signed.Year != 0:
		return fmt.Sprintf("%04d", d.Signed.Year)
	}
	return d.Reported.UTC().Format("2006-01")
}

// alertKeys returns the alert keys a new claim of d may take, in order of
// preference: "<key>@<month>", then "~2", "~3", … after it (see the package
// doc).
func alertKeys(d Deal) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		base := d.Key + "@" + dealMonth(d.Report)
		if !yield(base) {
			return
		}
		for i := 2; ; i++ {
			if !yield(fmt.Sprintf("%s~%d", base, i)) {
				return
			}
		}
	}
}

// Claim is the answer of ClaimAgreement.
type Claim struct {
	// First reports whether the claiming article is the first article of
	// the agreement: true for the article that won the claim, also when it
	// claims again (a redelivery), false for every other article.
	First bool
	// New reports whether this very call made the claim; false when an
	// earlier call (maybe by another replica) did.
	New bool
	// AlertKey names the claim and its alert (see the package doc).
	AlertKey string
	// Parties are the claim's parties after this call.
	Parties Parties
	// Subject is the claim's subject after this call ("" while no report
	// of it named one), Topic the topic of its first report.
	Subject, Topic string
	// Signed is the claim's signing date after this call: the finest a
	// report of it stated (zero while none did).
	Signed deal.Date
	// FirstArticle is the agreement's first article.
	FirstArticle ArticleRef
	// RaisedAt is when the first article claimed the key: the alert's time.
	RaisedAt time.Time
}

// claimLock namespaces the PostgreSQL advisory locks that serialise the
// claims of one match group (the group's hash is the second half). The
// two-int lock keys never collide with the one-bigint migrateLock.
const claimLock = 0x6e70_6167 // "npag"

// claimRow is one row of agreement_claims.
type claimRow struct {
	alertKey  string
	topic     string
	subject   string
	parties   Parties
	signed    deal.Date
	reported  int64 // when its first report was published (nanos)
	first     ArticleRef
	claimedAt int64
	seq       int64
}

// report returns the deal as the claim knows it.
func (r claimRow) report() deal.Report {
	return deal.Report{CN: r.parties.CN, RU: r.parties.RU, Topic: r.topic, Subject: r.subject,
		Signed: r.signed, Reported: fromNanos(r.reported)}
}

// matches reports whether a report of d can be about r's agreement
// (deal.Same).
func (r claimRow) matches(d Deal, window time.Duration) bool {
	return deal.Same(r.report(), d.Report, window)
}

// refine returns r with what d adds to it (deal.Merge): party groups,
// its subject if r had none, a finer signing date.
func (r claimRow) refine(d Deal) claimRow {
	m := deal.Merge(r.report(), d.Report)
	r.parties = Parties{CN: m.CN, RU: m.RU}
	r.subject = m.Subject
	r.signed = m.Signed
	return r
}

func (r claimRow) equal(o claimRow) bool {
	return r.alertKey == o.alertKey && r.seq == o.seq && r.subject == o.subject && r.signed == o.signed &&
		slices.Equal(r.parties.CN, o.parties.CN) && slices.Equal(r.parties.RU, o.parties.RU)
}

func (r claimRow) claim() Claim {
	return Claim{AlertKey: r.alertKey, Parties: r.parties, Subject: r.subject, Topic: r.topic, Signed: r.signed,
		FirstArticle: r.first, RaisedAt: fromNanos(r.claimedAt)}
}

// joinGroups and splitGroups store a side's party groups in one column:
// sorted, comma-separated, "" for a side that names only its country. A
// column written before sides were sets holds one id, a one-group set.
func joinGroups(g []string) string { return strings.Join(g, ",") }

func splitGroups(s string) []string {
	if s == "" {
		return nil
	}
	g := strings.Split(s, ",")
	slices.Sort(g)
	return slices.Compact(g)
}

// maxRefineRaces bounds how often one claim decides again because another
// replica changed the claim it matched in the meantime (see
// ClaimAgreement).
const maxRefineRaces = 8

// candidateSlack widens the span of claims read as candidates beyond the
// window: a signing date stated only to the year dates a deal anywhere in
// that year. deal.Same decides among the candidates.
const candidateSlack = 400 * 24 * time.Hour

// ClaimAgreement decides whether ref, a report of the agreement d, is about
// an agreement already claimed or a new one (see the package doc):
//
//   - the first article of a claim, claiming again (a redelivery), gets
//     that claim back, First and not New, whatever its age, so that an
//     alert whose publish failed is published on the retry, with the same
//     alert key;
//   - a report that is the same deal as a claim (deal.Same, with window
//     for reports that state no signing date) belongs to the oldest such
//     claim (neither First nor New) and adds what it knows to the claim
//     (deal.Merge): party groups, its subject, a finer signing date;
//   - any other report makes a new claim, First and New, and records its
//     alert, listed by ListAlerts.
//
// Deals are dated by what the reports say (a stated signing date, else the
// publication time of the report), not by when the reports arrive: a
// backlog of old stories, or a replay of the stream, gives the alerts the
// same reports would have given live.
//
// The decision is atomic, so that concurrent sink replicas agree on every
// claim. On SQLite the database's write lock serialises all claims. On
// PostgreSQL a report takes an advisory lock per match group it may touch
// (its Group, and its topic's group when it has a subject), which
// serialises it with every report that could match the same claims or that
// it could match; the one overlap those locks leave, a claim with a subject
// that two reports with different topics refine at once, is caught by
// refining only the claim as it was read, deciding again if it changed.
// Claims only ever get more specific, and newer claims come after the one
// a report matched, so a report deciding again decides as the first time.
func (s *DB) ClaimAgreement(ctx context.Context, d Deal, window time.Duration, ref ArticleRef) (c Claim, err error) {
	key := d.Key
	if key == "" || ref.ID == "" {
		return Claim{}, fmt.Errorf("store: claim agreement %q: %w: empty key or article id", key, ErrInvalid)
	}
	now := s.now()
	if d.Reported.IsZero() {
		d.Reported = now
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Claim{}, fmt.Errorf("store: claim agreement %s: begin: %w", key, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if s.dialect.numbered {
		if err := lockGroups(ctx, tx, s.lockSpace, d.lockGroups()); err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: lock: %w", key, err)
		}
	}

	for race := 0; ; race++ {
		rows, err := s.claims(ctx, tx, d, ref.ID, window)
		if err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: read claims: %w", key, err)
		}
		own, match := decide(rows, d, ref.ID, window)
		if own >= 0 {
			c = rows[own].claim()
			c.First = true
			break
		}
		if match < 0 {
			if c, err = s.newClaim(ctx, tx, d, ref, now); err != nil {
				return Claim{}, fmt.Errorf("store: claim agreement %s: %w", key, err)
			}
			break
		}
		r := rows[match]
		next := r.refine(d)
		if next.equal(r) {
			c = r.claim()
			break
		}
		if s.beforeRefine != nil {
			s.beforeRefine()
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE agreement_claims SET cn_party = ?, ru_party = ?, subject = ?, signed_on = ?, deal_at = ?
			WHERE alert_key = ? AND seq = ? AND cn_party = ? AND ru_party = ? AND subject = ? AND signed_on = ?`),
			joinGroups(next.parties.CN), joinGroups(next.parties.RU), next.subject, next.signed.String(), nanos(next.report().At()),
			r.alertKey, r.seq, joinGroups(r.parties.CN), joinGroups(r.parties.RU), r.subject, r.signed.String())
		if err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: refine %s: %w", key, r.alertKey, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: refine %s: %w", key, r.alertKey, err)
		}
		if n == 1 {
			c = next.claim()
			break
		}
		// Another replica refined the claim since it was read: the claim
		// may not match any more, so decide again on what it is now.
		if race >= maxRefineRaces {
			return Claim{}, fmt.Errorf("store: claim agreement %s: refine %s: changed under %d retries", key, r.alertKey, race)
		}
	}
	if c.First {
		f := c.FirstArticle
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO alerts (key, article_id, url, title, lang, source_id, raised_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, article_id) DO NOTHING`),
			c.AlertKey, f.ID, f.URL, f.Title, f.Lang, f.SourceID, nanos(c.RaisedAt)); err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: record alert: %w", key, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Claim{}, fmt.Errorf("store: claim agreement %s: commit: %w", key, err)
	}
	return c, nil
}

// lockGroups takes the PostgreSQL advisory locks of groups for the rest of
// tx, in the order of their lock keys, so that two transactions locking
// overlapping sets cannot deadlock (even where two groups hash alike).
// Advisory locks are shared by the whole database, so the keys hash the
// store's schema (space) too: stores in different schemas of one database
// (several pipelines, or parallel tests) do not wait on each other's
// claims, and cannot deadlock across schemas where PostgreSQL would not see
// it (a store holding a lock while its process waits on another store).
// The default schema, public, keeps the keys of the groups alone, as they
// were before, so that replicas of two versions still serialise during a
// rolling upgrade.
func lockGroups(ctx context.Context, tx *sql.Tx, space string, groups []string) error {
	keys := make([]int32, 0, len(groups))
	for _, g := range groups {
		h := fnv.New32a()
		if space != "public" && space != "" {
			h.Write([]byte(space))
			h.Write([]byte{0})
		}
		h.Write([]byte(g))
		keys = append(keys, int32(h.Sum32()))
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, int32(claimLock), k); err != nil {
			return err
		}
	}
	return nil
}

// claims returns, oldest first, the claims whose first article is
// articleID, and the claims a report of d may be the same deal as: those of
// its topic or its subject dated (deal_at: their signing date, else their
// first report's publication) within the window, widened by
// candidateSlack, of d's date.
func (s *DB) claims(ctx context.Context, tx *sql.Tx, d Deal, articleID string, window time.Duration) ([]claimRow, error) {
	at := d.At()
	lo, hi := nanos(at.Add(-window-candidateSlack)), nanos(at.Add(window+candidateSlack))
	rs, err := tx.QueryContext(ctx, s.q(`SELECT alert_key, topic, subject, cn_party, ru_party, signed_on, reported_at,
		first_article_id, first_url, first_title, first_lang, first_source_id, claimed_at, seq
		FROM agreement_claims
		WHERE first_article_id = ?
			OR ((topic = ? OR (subject = ? AND subject <> '')) AND deal_at >= ? AND deal_at <= ?)
		ORDER BY seq, alert_key`),
		articleID, d.Topic, d.Subject, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []claimRow
	for rs.Next() {
		var (
			r      claimRow
			cn, ru string
			signed string
		)
		f := &r.first
		if err := rs.Scan(&r.alertKey, &r.topic, &r.subject, &cn, &ru, &signed, &r.reported, &f.ID, &f.URL,
			&f.Title, &f.Lang, &f.SourceID, &r.claimedAt, &r.seq); err != nil {
			return nil, err
		}
		r.parties = Parties{CN: splitGroups(cn), RU: splitGroups(ru)}
		r.signed, _ = deal.ParseDate(signed) // written by refine from a parsed date
		out = append(out, r)
	}
	return out, rs.Err()
}

// decide returns the index in rows (oldest first) of the claim whose first
// article is articleID, else -1; and, failing that, of the oldest claim d
// is the same deal as, else -1.
func decide(rows []claimRow, d Deal, articleID string, window time.Duration) (own, match int) {
	own, match = -1, -1
	for i, r := range rows {
		if r.first.ID == articleID {
			return i, -1
		}
		if match < 0 && r.matches(d, window) {
			match = i
		}
	}
	return -1, match
}

// newClaim records a new claim of d by ref under the first alert key no
// claim holds.
func (s *DB) newClaim(ctx context.Context, tx *sql.Tx, d Deal, ref ArticleRef, now time.Time) (Claim, error) {
	// seq orders all claims, oldest first. Two replicas claiming in
	// groups that share no lock may take the same number: claims that
	// close together are ordered by alert key, the same way every time.
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM agreement_claims`).Scan(&seq); err != nil {
		return Claim{}, fmt.Errorf("next seq: %w", err)
	}
	seq++
	const tries = 100
	n := 0
	for alertKey := range alertKeys(d) {
		if n++; n > tries {
			break
		}
		// A held key sends the claim on to the next one; on PostgreSQL,
		// one another transaction is inserting makes it wait for that one
		// and then move on.
		rs, err := tx.QueryContext(ctx, s.q(`INSERT INTO agreement_claims
			(alert_key, key, seq, topic, subject, cn_party, ru_party, signed_on, reported_at, deal_at, first_article_id,
				first_url, first_title, first_lang, first_source_id, claimed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (alert_key) DO NOTHING
			RETURNING claimed_at`),
			alertKey, d.Key, seq, d.Topic, d.Subject, joinGroups(d.CN), joinGroups(d.RU), d.Signed.String(),
			nanos(d.Reported), nanos(d.At()), ref.ID, ref.URL, ref.Title, ref.Lang, ref.SourceID, nanos(now))
		if err != nil {
			return Claim{}, fmt.Errorf("claim %s: %w", alertKey, err)
		}
		won := rs.Next()
		rs.Close()
		if err := rs.Err(); err != nil {
			return Claim{}, fmt.Errorf("claim %s: %w", alertKey, err)
		}
		if won {
			return Claim{First: true, New: true, AlertKey: alertKey, Parties: Parties{CN: d.CN, RU: d.RU},
				Subject: d.Subject, Topic: d.Topic, Signed: d.Signed, FirstArticle: ref, RaisedAt: fromNanos(nanos(now))}, nil
		}
	}
	return Claim{}, fmt.Errorf("no free alert key after %d tries", tries)
}

// Alert is a raised agreement alert.
type Alert struct {
	// Key is the alert key of the agreement's claim (see the package doc).
	Key          string
	FirstArticle ArticleRef
	RaisedAt     time.Time
	// First is the first article's story; nil if it is not stored (yet).
	// The agreement's details (parties, kind, evidence) are in
	// First.Article.Agreement.
	First *Story
	// Reports counts the stored stories linked to this alert's claim,
	// the first one included.
	Reports int
	// Signed is the agreement's signing date as its reports have stated
	// it so far, the finest first (zero while none did).
	Signed deal.Date
}

// ListAlerts returns up to limit alerts (0: DefaultLimit, at most MaxLimit),
// newest first.
func (s *DB) ListAlerts(ctx context.Context, n int) ([]Alert, error) {
	alerts, err := s.queryAlerts(ctx, s.db, `ORDER BY a.raised_at DESC, a.key DESC LIMIT ?`, limit(n))
	if err != nil {
		return nil, fmt.Errorf("store: list alerts: %w", err)
	}
	return alerts, nil
}

// GetAlert returns the alert with key key, or an error wrapping
// ErrNotFound.
func (s *DB) GetAlert(ctx context.Context, key string) (Alert, error) {
	alerts, err := s.queryAlerts(ctx, s.db, `WHERE a.key = ? ORDER BY a.raised_at LIMIT 1`, key)
	if err != nil {
		return Alert{}, fmt.Errorf("store: get alert %s: %w", key, err)
	}
	if len(alerts) == 0 {
		return Alert{}, fmt.Errorf("store: get alert %s: %w", key, ErrNotFound)
	}
	return alerts[0], nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAlerts selects alerts with their first story; tail is the WHERE /
// ORDER BY / LIMIT part, with the alerts table as "a".
func (s *DB) queryAlerts(ctx context.Context, db querier, tail string, args ...any) ([]Alert, error) {
	rows, err := db.QueryContext(ctx, s.q(`SELECT a.key, a.article_id, a.url, a.title, a.lang, a.source_id, a.raised_at,
			s.data, s.agreement_first_article_id, s.agreement_alert_key, s.sort_at, s.stored_at,
			s.updated_at, (SELECT COUNT(*) FROM stories r
				WHERE r.agreement_alert_key = a.key AND r.agreement_first_article_id = a.article_id),
			COALESCE((SELECT c.signed_on FROM agreement_claims c WHERE c.alert_key = a.key AND c.first_article_id = a.article_id), '')
		FROM alerts a LEFT JOIN stories s ON s.id = a.article_id `+tail), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var (
			al                        Alert
			raised                    int64
			data                      []byte
			link, linkKey             *string
			sortAt, storedAt, updated *int64
			signed                    string
		)
		f := &al.FirstArticle
		if err := rows.Scan(&al.Key, &f.ID, &f.URL, &f.Title, &f.Lang, &f.SourceID, &raised,
			&data, &link, &linkKey, &sortAt, &storedAt, &updated, &al.Reports, &signed); err != nil {
			return nil, err
		}
		al.Signed, _ = deal.ParseDate(signed) // written from a parsed date
		al.RaisedAt = fromNanos(raised)
		if data != nil {
			a, err := unmarshal(data)
			if err != nil {
				return nil, fmt.Errorf("decode story %s: %w", f.ID, err)
			}
			al.First = &Story{Article: a, AgreementFirstArticleID: *link, AgreementAlertKey: *linkKey,
				Time: fromNanos(*sortAt), StoredAt: fromNanos(*storedAt), UpdatedAt: fromNanos(*updated)}
		}
		out = append(out, al)
	}
	return out, rows.Err()
}
