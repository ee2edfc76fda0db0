//go:build unix

package extract

import "syscall"

// processCPU returns the CPU time the process has used so far, user and
// system, in nanoseconds: on a shared machine the wall time of a benchmark
// counts the time other processes held the cores, its CPU time does not.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
