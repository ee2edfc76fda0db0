package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Webhook delivery states (webhook_deliveries.state).
const (
	// DeliverySent: the endpoint answered 2xx.
	DeliverySent = "sent"
	// DeliveryFailed: the last try failed; the stage may try again.
	DeliveryFailed = "failed"
	// DeliveryRejected: the endpoint refused it for good, or the stage
	// gave up.
	DeliveryRejected = "rejected"
)

// Delivery is the state of one alert's webhook to one endpoint.
type Delivery struct {
	State     string
	Attempts  int
	LastError string
}

// GetDelivery returns the delivery of alert key to endpoint; the zero
// Delivery if none was tried.
func (s *DB) GetDelivery(ctx context.Context, key, endpoint string) (Delivery, error) {
	var d Delivery
	err := s.db.QueryRowContext(ctx, s.q(`SELECT state, attempts, last_error FROM webhook_deliveries
		WHERE alert_key = ? AND endpoint = ?`), key, endpoint).Scan(&d.State, &d.Attempts, &d.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, nil
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("store: webhook delivery %s: %w", key, err)
	}
	return d, nil
}

// RecordDelivery records a try of alert key's webhook to endpoint: state
// is its outcome, reason the error of a failed one. A sent delivery stays
// sent.
func (s *DB) RecordDelivery(ctx context.Context, key, endpoint, state, reason string) error {
	if len(reason) > 500 {
		// Cut on bytes, then drop a split rune: PostgreSQL refuses invalid UTF-8.
		reason = strings.ToValidUTF8(reason[:500], "")
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO webhook_deliveries (alert_key, endpoint, state, attempts, last_error, updated_at)
		VALUES (?, ?, ?, 1, ?, ?)
		ON CONFLICT (alert_key, endpoint) DO UPDATE SET state = excluded.state,
			attempts = webhook_deliveries.attempts + 1, last_error = excluded.last_error, updated_at = excluded.updated_at
		WHERE webhook_deliveries.state <> ?`),
		key, endpoint, state, reason, nanos(s.now()), DeliverySent)
	if err != nil {
		return fmt.Errorf("store: record webhook delivery %s: %w", key, err)
	}
	return nil
}
