// Package faults holds newspipe's fault suite (make test-faults): the real
// binaries as separate OS processes against a nats-server the suite starts
// itself, fed by a local news site, while the suite kills what production
// loses: each service in turn, the NATS server, the all-in-one three times,
// the stream leader of a three-node cluster, poison messages on every
// stage's input, and a stream that fills while its stage is down (the loss
// the discard-old policy makes must be counted, not silent). Each scenario counts the
// articles in and the stories stored, duplicate stories, alerts and
// duplicate alerts, dead-letter entries with their reasons, and how long the
// pipeline took to resume; each asserts that nothing was lost and nothing
// duplicated.
//
// The suite builds the binaries itself, and the nats-server too, from the
// server module at the version go.mod pins (the one the embedded tests
// run); NEWSPIPE_FAULTS_NATS_SERVER=/usr/sbin/nats-server runs it on another
// server binary, Debian's 2.9 say. A process that exits on its own fails the
// scenario at once with its panic, rather than after a two-minute wait. It runs only
// when NEWSPIPE_FAULTS=1, as make test-faults sets: it takes minutes, and
// make test stays fast.
package faults
