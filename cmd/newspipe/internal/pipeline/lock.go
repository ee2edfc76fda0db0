package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrDataDirInUse is returned when another process holds the data
// directory: two all-in-ones on one directory would run two JetStream
// servers and two SQLite writers on the same files.
var ErrDataDirInUse = errors.New("data directory in use")

// lockDataDir takes an exclusive lock on dir/LOCK, holding this process's
// pid, for as long as the returned file stays open. The kernel releases it
// when the process dies, however it dies, so a stale lock file never blocks
// a restart after a crash.
func lockDataDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		holder := strings.TrimSpace(string(b))
		if _, perr := strconv.Atoi(holder); perr != nil {
			holder = "unknown"
		}
		return nil, fmt.Errorf("%w: %s is held by newspipe pid %s (stop it, or use another -data-dir)", ErrDataDirInUse, dir, holder)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}
