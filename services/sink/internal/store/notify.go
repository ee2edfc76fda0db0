package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Webhook delivery states of an alert.
const (
	notifyPending = "pending"
	notifySent    = "sent"
	notifyFailed  = "failed" // given up
)

// LeaseNotifications returns up to n alerts whose webhooks are due: not yet
// sent nor given up, due by now, raised at or after since, and with their
// first story stored (the payload is built from it). It leases them until
// now+lease, so that another replica, or this one's next poll, skips them
// while they are being delivered; a crashed deliverer's lease simply runs
// out and the alert is due again. The lease is taken by a conditional
// update, so of two replicas polling at once only one gets each alert.
func (s *DB) LeaseNotifications(ctx context.Context, n int, since time.Time, lease time.Duration) (out []Alert, err error) {
	now := s.now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: lease notifications: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	due, err := s.queryAlerts(ctx, tx, `WHERE a.notify_state = ? AND a.notify_after <= ? AND a.raised_at >= ?
		AND s.id IS NOT NULL ORDER BY a.raised_at, a.key LIMIT ?`,
		notifyPending, nanos(now), nanos(since), limit(n))
	if err != nil {
		return nil, fmt.Errorf("store: lease notifications: %w", err)
	}
	for _, al := range due {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE alerts SET notify_after = ?
			WHERE key = ? AND article_id = ? AND notify_state = ? AND notify_after <= ?`),
			nanos(now.Add(lease)), al.Key, al.FirstArticle.ID, notifyPending, nanos(now))
		if err != nil {
			return nil, fmt.Errorf("store: lease notification %s: %w", al.Key, err)
		}
		if k, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("store: lease notification %s: %w", al.Key, err)
		} else if k == 1 {
			out = append(out, al)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: lease notifications: commit: %w", err)
	}
	return out, nil
}

// NotifySent records that the alert's webhooks were delivered.
func (s *DB) NotifySent(ctx context.Context, key, articleID string) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE alerts SET notify_state = ?, notify_error = ''
		WHERE key = ? AND article_id = ?`), notifySent, key, articleID)
	if err != nil {
		return fmt.Errorf("store: notification %s sent: %w", key, err)
	}
	return nil
}

// NotifyFailed records a failed delivery: the alert is due again at retryAt,
// or, when retryAt is zero, given up.
func (s *DB) NotifyFailed(ctx context.Context, key, articleID, reason string, retryAt time.Time) error {
	state := notifyPending
	if retryAt.IsZero() {
		state = notifyFailed
	}
	if len(reason) > 500 {
		// Cut on bytes, then drop a split rune: PostgreSQL refuses invalid UTF-8.
		reason = strings.ToValidUTF8(reason[:500], "")
	}
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE alerts SET notify_state = ?, notify_attempts = notify_attempts + 1,
		notify_after = ?, notify_error = ? WHERE key = ? AND article_id = ?`),
		state, nanos(retryAt), reason, key, articleID)
	if err != nil {
		return fmt.Errorf("store: notification %s failed: %w", key, err)
	}
	return nil
}
