//go:build !unix

package extract

// processCPU is not measured on this platform; benchmarks then report no
// CPU time.
func processCPU() int64 { return 0 }
