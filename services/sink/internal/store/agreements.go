package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
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
// claim of the key: such an agreement alerts once per key and window.
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
	// FirstArticle is the agreement's first article.
	FirstArticle ArticleRef
	// RaisedAt is when the first article claimed the key: the alert's time.
	RaisedAt time.Time
}

// claimLock namespaces the PostgreSQL advisory locks that serialise the
// claims of one agreement key (the key's hash is the second half). The
// two-int lock keys never collide with the one-bigint migrateLock.
const claimLock = 0x6e70_6167 // "npag"

// claimRow is one row of agreement_claims.
type claimRow struct {
	alertKey  string
	parties   Parties
	first     ArticleRef
	claimedAt int64
	seq       int64
}

// ClaimAgreement decides whether ref, a report of an agreement with key and
// parties, is about an agreement already claimed or a new one (see the
// package doc):
//
//   - the first article of a claim of key, claiming again (a redelivery),
//     gets that claim back, First and not New, whatever its age, so that
//     an alert whose publish failed is published on the retry, with the
//     same alert key;
//   - a report matching a claim of key made within window before now
//     belongs to the oldest such claim (neither First nor New) and fills in the
//     sides the claim had unspecified;
//   - any other report makes a new claim, First and New, and records its
//     alert, listed by ListAlerts.
//
// The window counts from a claim's first report: the same parties signing
// the same kind of deal next year is a new agreement, and a claim that old
// gives its alert key up to the next new claim that would take it.
//
// The decision is atomic, so that concurrent sink replicas agree on every
// claim: the claims of one key are decided one at a time (SQLite: the
// database's write lock; PostgreSQL: an advisory lock on the key's hash).
// A report deciding again decides as the first time, as long as no claim it
// matched has left the window: claims' parties only ever get more specific,
// and newer claims come after the one it matched.
func (s *DB) ClaimAgreement(ctx context.Context, key string, parties Parties, window time.Duration, ref ArticleRef) (c Claim, err error) {
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
		h := fnv.New32a()
		h.Write([]byte(key))
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, int32(claimLock), int32(h.Sum32())); err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: lock: %w", key, err)
		}
	}
	rows, err := s.claims(ctx, tx, key)
	if err != nil {
		return Claim{}, fmt.Errorf("store: claim agreement %s: read claims: %w", key, err)
	}

	switch own, match := decide(rows, parties, ref.ID, cutoff); {
	case own >= 0:
		r := rows[own]
		c = Claim{First: true, AlertKey: r.alertKey, Parties: r.parties, FirstArticle: r.first, RaisedAt: fromNanos(r.claimedAt)}
	case match >= 0:
		r := rows[match]
		c = Claim{AlertKey: r.alertKey, Parties: r.parties.refine(parties), FirstArticle: r.first, RaisedAt: fromNanos(r.claimedAt)}
		if c.Parties != r.parties {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE agreement_claims SET cn_party = ?, ru_party = ? WHERE alert_key = ?`),
				c.Parties.CN, c.Parties.RU, r.alertKey); err != nil {
				return Claim{}, fmt.Errorf("store: claim agreement %s: refine %s: %w", key, r.alertKey, err)
			}
		}
	default:
		c, err = s.newClaim(ctx, tx, key, parties, ref, rows, now, cutoff)
		if err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: %w", key, err)
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

// claims returns every claim of key, live or not, oldest first.
func (s *DB) claims(ctx context.Context, tx *sql.Tx, key string) ([]claimRow, error) {
	rs, err := tx.QueryContext(ctx, s.q(`SELECT alert_key, cn_party, ru_party, first_article_id, first_url,
		first_title, first_lang, first_source_id, claimed_at, seq
		FROM agreement_claims WHERE key = ? ORDER BY seq`), key)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []claimRow
	for rs.Next() {
		var r claimRow
		f := &r.first
		if err := rs.Scan(&r.alertKey, &r.parties.CN, &r.parties.RU, &f.ID, &f.URL, &f.Title, &f.Lang, &f.SourceID,
			&r.claimedAt, &r.seq); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// decide returns the index in rows (oldest first) of the claim whose first
// article is articleID, else -1; and, failing that, of the oldest claim
// made at or after cutoff that parties match, else -1.
func decide(rows []claimRow, parties Parties, articleID string, cutoff int64) (own, match int) {
	own, match = -1, -1
	for i, r := range rows {
		if r.first.ID == articleID {
			return i, -1
		}
		if match < 0 && r.claimedAt >= cutoff && r.parties.Matches(parties) {
			match = i
		}
	}
	return -1, match
}

// newClaim records a new claim of key by ref under the first alert key no
// live claim holds: a fresh row, or one whose claim has left the window.
func (s *DB) newClaim(ctx context.Context, tx *sql.Tx, key string, parties Parties, ref ArticleRef,
	rows []claimRow, now time.Time, cutoff int64) (Claim, error) {
	var seq int64
	live := map[string]bool{}
	for _, r := range rows {
		seq = max(seq, r.seq)
		if r.claimedAt >= cutoff {
			live[r.alertKey] = true
		}
	}
	seq++
	const tries = 100
	n := 0
	for alertKey := range alertKeys(key, parties) {
		if live[alertKey] {
			continue
		}
		if n++; n > tries {
			break
		}
		// The claim may take over an expired row of its own key only; a
		// live row, or another key's (whose claims this transaction does
		// not serialise), sends it on to the next alert key.
		rs, err := tx.QueryContext(ctx, s.q(`INSERT INTO agreement_claims
			(alert_key, key, seq, cn_party, ru_party, first_article_id, first_url, first_title, first_lang,
				first_source_id, claimed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (alert_key) DO UPDATE SET seq = excluded.seq, cn_party = excluded.cn_party,
				ru_party = excluded.ru_party, first_article_id = excluded.first_article_id,
				first_url = excluded.first_url, first_title = excluded.first_title,
				first_lang = excluded.first_lang, first_source_id = excluded.first_source_id,
				claimed_at = excluded.claimed_at
			WHERE agreement_claims.key = excluded.key AND agreement_claims.claimed_at < ?
			RETURNING claimed_at`),
			alertKey, key, seq, parties.CN, parties.RU, ref.ID, ref.URL, ref.Title, ref.Lang, ref.SourceID,
			nanos(now), cutoff)
		if err != nil {
			return Claim{}, fmt.Errorf("claim %s: %w", alertKey, err)
		}
		won := rs.Next()
		rs.Close()
		if err := rs.Err(); err != nil {
			return Claim{}, fmt.Errorf("claim %s: %w", alertKey, err)
		}
		if won {
			return Claim{First: true, New: true, AlertKey: alertKey, Parties: parties, FirstArticle: ref,
				RaisedAt: fromNanos(nanos(now))}, nil
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
