package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// Country ids the classifier gives a side of an agreement that names no
// organisation; PartiesOf reads them as "unspecified".
const (
	CountryCN = "cn"
	CountryRU = "ru"
)

// Parties are the two sides of an agreement, each an entity id, or "" when
// unspecified (the reports name only the side's country).
type Parties struct {
	CN, RU string
}

// PartiesOf returns the parties of a's agreement. The classifier lists
// them Chinese side first, a side without an organisation as its country
// id. Any other shape leaves both sides unspecified, which matches every
// claim of the subject or topic: such an agreement alerts once per match
// group and window.
func PartiesOf(a *newspipev1.EnrichedArticle) Parties {
	p := a.GetAgreement().GetParties()
	if len(p) != 2 {
		return Parties{}
	}
	return Parties{CN: specified(p[0], CountryCN), RU: specified(p[1], CountryRU)}
}

func specified(party, country string) string {
	if party == country {
		return ""
	}
	return party
}

// Matches reports whether p and q can be the same agreement's parties: on
// each side they are equal or either is unspecified.
func (p Parties) Matches(q Parties) bool {
	return sideMatches(p.CN, q.CN) && sideMatches(p.RU, q.RU)
}

func sideMatches(a, b string) bool { return a == b || a == "" || b == "" }

// refine fills in the sides p leaves unspecified from q.
func (p Parties) refine(q Parties) Parties {
	if p.CN == "" {
		p.CN = q.CN
	}
	if p.RU == "" {
		p.RU = q.RU
	}
	return p
}

// String returns the parties as they appear in an alert key's suffix:
// "<cn>+<ru>", an unspecified side as its country id.
func (p Parties) String() string {
	cn, ru := p.CN, p.RU
	if cn == "" {
		cn = CountryCN
	}
	if ru == "" {
		ru = CountryRU
	}
	return cn + "+" + ru
}

// Deal is what one report says of its agreement, as far as telling
// agreements apart goes: the classifier's key, what the deal is about and
// who signed it.
type Deal struct {
	// Key is the classifier's agreement key,
	// rucn:<cn>+<ru>/<topic>[/<subject>]; it names the alert of a claim the
	// report makes.
	Key string
	// Subject is what the deal is about, finer than its topic ("lunar",
	// "xudapu"), or "" when the report names nothing that fine.
	Subject string
	// Topic is the deal's technology topic.
	Topic string
	// Parties are the deal's two sides.
	Parties Parties
}

// DealOf returns the deal a's agreement reports. The subject is
// Agreement.subject, else the key's subject segment; the topic is
// Agreement.technology, else the key's topic segment. Both are compared
// normalised (NormalizeTopic).
func DealOf(a *newspipev1.EnrichedArticle) Deal {
	ag := a.GetAgreement()
	topic, subject := keySegments(ag.GetKey())
	if t := NormalizeTopic(ag.GetTechnology()); t != "" {
		topic = t
	}
	if sj := NormalizeTopic(ag.GetSubject()); sj != "" {
		subject = sj
	}
	return Deal{Key: ag.GetKey(), Subject: subject, Topic: topic, Parties: PartiesOf(a)}
}

// keySegments returns the topic and subject segments of an agreement key
// rucn:<cn>+<ru>/<topic>[/<subject>], normalised; "" for a segment the
// key lacks.
func keySegments(key string) (topic, subject string) {
	_, path, ok := strings.Cut(key, "/")
	if !ok {
		return "", ""
	}
	topic, subject, _ = strings.Cut(path, "/")
	// A deeper path is not the classifier's; its third segment still
	// names the subject best.
	subject, _, _ = strings.Cut(subject, "/")
	return NormalizeTopic(topic), NormalizeTopic(subject)
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

// alertKeys returns the alert keys a new claim of key with parties p may
// take, in order of preference (see the package doc).
func alertKeys(key string, p Parties) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		if !yield(key) {
			return
		}
		suffixed := key + "~" + p.String()
		if !yield(suffixed) {
			return
		}
		for i := 2; ; i++ {
			if !yield(fmt.Sprintf("%s~%d", suffixed, i)) {
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
	first     ArticleRef
	claimedAt int64
	seq       int64
}

// matches reports whether a report of d can be about r's agreement: their
// parties match, and they have the same subject, or, where either names
// none, the same topic.
func (r claimRow) matches(d Deal) bool {
	if !r.parties.Matches(d.Parties) {
		return false
	}
	if r.subject != "" && d.Subject != "" {
		return r.subject == d.Subject
	}
	return r.topic == d.Topic
}

// refine returns r with what d adds to it: the sides r left unspecified,
// and d's subject if r had none.
func (r claimRow) refine(d Deal) claimRow {
	r.parties = r.parties.refine(d.Parties)
	if r.subject == "" {
		r.subject = d.Subject
	}
	return r
}

func (r claimRow) claim() Claim {
	return Claim{AlertKey: r.alertKey, Parties: r.parties, Subject: r.subject, Topic: r.topic,
		FirstArticle: r.first, RaisedAt: fromNanos(r.claimedAt)}
}

// maxRefineRaces bounds how often one claim decides again because another
// replica changed the claim it matched in the meantime (see
// ClaimAgreement).
const maxRefineRaces = 8

// ClaimAgreement decides whether ref, a report of the agreement d, is about
// an agreement already claimed or a new one (see the package doc):
//
//   - the first article of a claim, claiming again (a redelivery), gets
//     that claim back, First and not New, whatever its age, so that an
//     alert whose publish failed is published on the retry, with the same
//     alert key;
//   - a report matching a claim made within window before now belongs to
//     the oldest such claim (neither First nor New) and fills in what the
//     claim had unspecified: a side, its subject;
//   - any other report makes a new claim, First and New, and records its
//     alert, listed by ListAlerts.
//
// A report matches a claim when their parties match (Parties.Matches) and
// both have the same subject, or, when either has none, the same topic.
//
// The window counts from a claim's first report: the same parties signing
// the same kind of deal next year is a new agreement, and a claim that old
// gives its alert key up to the next new claim that would take it.
//
// The decision is atomic, so that concurrent sink replicas agree on every
// claim. On SQLite the database's write lock serialises all claims. On
// PostgreSQL a report takes an advisory lock per match group it may touch
// (its Group, and its topic's group when it has a subject), which
// serialises it with every report that could match the same claims or that
// it could match; the one overlap those locks leave, a claim with a subject
// whose sides two reports with different topics refine at once, is caught
// by refining only the claim as it was read, deciding again if it changed.
// A report deciding again decides as the first time, as long as no claim it
// matched has left the window: claims only ever get more specific, and
// newer claims come after the one it matched.
func (s *DB) ClaimAgreement(ctx context.Context, d Deal, window time.Duration, ref ArticleRef) (c Claim, err error) {
	key := d.Key
	if key == "" || ref.ID == "" {
		return Claim{}, fmt.Errorf("store: claim agreement %q: %w: empty key or article id", key, ErrInvalid)
	}
	now := s.now()
	cutoff := nanos(now.Add(-window))

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
		if err := lockGroups(ctx, tx, d.lockGroups()); err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: lock: %w", key, err)
		}
	}

	for race := 0; ; race++ {
		rows, err := s.claims(ctx, tx, d, ref.ID, cutoff)
		if err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: read claims: %w", key, err)
		}
		own, match := decide(rows, d, ref.ID, cutoff)
		if own >= 0 {
			c = rows[own].claim()
			c.First = true
			break
		}
		if match < 0 {
			if c, err = s.newClaim(ctx, tx, d, ref, now, cutoff); err != nil {
				return Claim{}, fmt.Errorf("store: claim agreement %s: %w", key, err)
			}
			break
		}
		r := rows[match]
		next := r.refine(d)
		if next == r {
			c = r.claim()
			break
		}
		if s.beforeRefine != nil {
			s.beforeRefine()
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE agreement_claims SET cn_party = ?, ru_party = ?, subject = ?
			WHERE alert_key = ? AND seq = ? AND cn_party = ? AND ru_party = ? AND subject = ?`),
			next.parties.CN, next.parties.RU, next.subject, r.alertKey, r.seq, r.parties.CN, r.parties.RU, r.subject)
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
func lockGroups(ctx context.Context, tx *sql.Tx, groups []string) error {
	keys := make([]int32, 0, len(groups))
	for _, g := range groups {
		h := fnv.New32a()
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
// articleID, whatever their age, and the live claims (made at or after
// cutoff) a report of d may match: those of its topic, those of its
// subject, with parties that match d's.
func (s *DB) claims(ctx context.Context, tx *sql.Tx, d Deal, articleID string, cutoff int64) ([]claimRow, error) {
	rs, err := tx.QueryContext(ctx, s.q(`SELECT alert_key, topic, subject, cn_party, ru_party, first_article_id,
		first_url, first_title, first_lang, first_source_id, claimed_at, seq
		FROM agreement_claims
		WHERE first_article_id = ?
			OR ((topic = ? OR (subject = ? AND subject <> ''))
				AND claimed_at >= ?
				AND (cn_party = '' OR cn_party = ? OR CAST(? AS TEXT) = '')
				AND (ru_party = '' OR ru_party = ? OR CAST(? AS TEXT) = ''))
		ORDER BY seq, alert_key`),
		articleID, d.Topic, d.Subject, cutoff, d.Parties.CN, d.Parties.CN, d.Parties.RU, d.Parties.RU)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []claimRow
	for rs.Next() {
		var r claimRow
		f := &r.first
		if err := rs.Scan(&r.alertKey, &r.topic, &r.subject, &r.parties.CN, &r.parties.RU, &f.ID, &f.URL,
			&f.Title, &f.Lang, &f.SourceID, &r.claimedAt, &r.seq); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// decide returns the index in rows (oldest first) of the claim whose first
// article is articleID, else -1; and, failing that, of the oldest claim
// made at or after cutoff that d matches, else -1.
func decide(rows []claimRow, d Deal, articleID string, cutoff int64) (own, match int) {
	own, match = -1, -1
	for i, r := range rows {
		if r.first.ID == articleID {
			return i, -1
		}
		if match < 0 && r.claimedAt >= cutoff && r.matches(d) {
			match = i
		}
	}
	return -1, match
}

// newClaim records a new claim of d by ref under the first alert key no
// live claim holds: a fresh row, or one whose claim has left the window.
func (s *DB) newClaim(ctx context.Context, tx *sql.Tx, d Deal, ref ArticleRef, now time.Time, cutoff int64) (Claim, error) {
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
	for alertKey := range alertKeys(d.Key, d.Parties) {
		if n++; n > tries {
			break
		}
		// The claim may take over a row whose claim has left the window:
		// nothing matches that claim any more. A live row sends it on to
		// the next alert key; on PostgreSQL, one another transaction is
		// inserting makes it wait for that one and then move on.
		rs, err := tx.QueryContext(ctx, s.q(`INSERT INTO agreement_claims
			(alert_key, key, seq, topic, subject, cn_party, ru_party, first_article_id, first_url, first_title,
				first_lang, first_source_id, claimed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (alert_key) DO UPDATE SET key = excluded.key, seq = excluded.seq, topic = excluded.topic,
				subject = excluded.subject, cn_party = excluded.cn_party, ru_party = excluded.ru_party,
				first_article_id = excluded.first_article_id, first_url = excluded.first_url,
				first_title = excluded.first_title, first_lang = excluded.first_lang,
				first_source_id = excluded.first_source_id, claimed_at = excluded.claimed_at
			WHERE agreement_claims.claimed_at < ?
			RETURNING claimed_at`),
			alertKey, d.Key, seq, d.Topic, d.Subject, d.Parties.CN, d.Parties.RU, ref.ID, ref.URL, ref.Title,
			ref.Lang, ref.SourceID, nanos(now), cutoff)
		if err != nil {
			return Claim{}, fmt.Errorf("claim %s: %w", alertKey, err)
		}
		won := rs.Next()
		rs.Close()
		if err := rs.Err(); err != nil {
			return Claim{}, fmt.Errorf("claim %s: %w", alertKey, err)
		}
		if won {
			return Claim{First: true, New: true, AlertKey: alertKey, Parties: d.Parties, Subject: d.Subject,
				Topic: d.Topic, FirstArticle: ref, RaisedAt: fromNanos(nanos(now))}, nil
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
	// NotifyAttempts counts failed webhook deliveries so far.
	NotifyAttempts int
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

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAlerts selects alerts with their first story; tail is the WHERE /
// ORDER BY / LIMIT part, with the alerts table as "a".
func (s *DB) queryAlerts(ctx context.Context, db querier, tail string, args ...any) ([]Alert, error) {
	rows, err := db.QueryContext(ctx, s.q(`SELECT a.key, a.article_id, a.url, a.title, a.lang, a.source_id, a.raised_at,
			a.notify_attempts, s.data, s.agreement_first_article_id, s.agreement_alert_key, s.sort_at, s.stored_at,
			s.updated_at, (SELECT COUNT(*) FROM stories r
				WHERE r.agreement_alert_key = a.key AND r.agreement_first_article_id = a.article_id)
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
		)
		f := &al.FirstArticle
		if err := rows.Scan(&al.Key, &f.ID, &f.URL, &f.Title, &f.Lang, &f.SourceID, &raised, &al.NotifyAttempts,
			&data, &link, &linkKey, &sortAt, &storedAt, &updated, &al.Reports); err != nil {
			return nil, err
		}
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
