//go:build !unix

package runner

// processCPU is not measured off unix: the harness then reports only the
// process-level figure.
func processCPU() int64 { return 0 }
