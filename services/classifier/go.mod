module github.com/newspipe/newspipe/services/classifier

go 1.26.8

require (
	github.com/newspipe/newspipe/pkg v0.0.0
	github.com/newspipe/newspipe/proto v0.0.0
)

require (
	github.com/klauspost/compress v1.20.3 // indirect
	github.com/nats-io/nats.go v1.55.0 // indirect
	github.com/nats-io/nkeys v0.4.16 // indirect
	github.com/nats-io/nuid v1.0.1 // indirect
	github.com/prometheus/client_golang v1.25.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace github.com/newspipe/newspipe/pkg => ../../pkg

replace github.com/newspipe/newspipe/proto => ../../proto

require github.com/newspipe/newspipe/pkg v0.0.0

replace github.com/newspipe/newspipe/pkg => ../../pkg
