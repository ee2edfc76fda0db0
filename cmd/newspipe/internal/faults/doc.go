// Package faults holds newspipe's fault suite (make test-faults): the real
// binaries as separate OS processes against a nats-server the suite starts
// itself, fed by a local news site, while the suite kills what production
// loses: each service in turn, the NATS server, the all-in-one three times,
// and poison messages on every stage's input. Each scenario counts the
// articles in and the stories stored, duplicate stories, alerts and
// duplicate alerts, dead-letter entries with their reasons, and how long the
// pipeline took to resume; each asserts that nothing was lost and nothing
// duplicated.
//
// The suite needs a nats-server binary on PATH (Debian's nats-server
// package; .ci/run installs it) and builds the binaries itself. It runs only
// when NEWSPIPE_FAULTS=1, as make test-faults sets: it takes minutes, and
// make test stays fast.
package faults
