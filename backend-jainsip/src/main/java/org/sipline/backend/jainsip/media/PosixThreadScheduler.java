package org.sipline.backend.jainsip.media;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * {@link ThreadScheduler} through the C library's POSIX thread calls, reached with JNA: {@code
 * pthread_setschedparam(pthread_self(), SCHED_FIFO, {priority})}. Going through libc rather than
 * the raw {@code sched_setscheduler} system call keeps the code free of architecture-specific
 * system call numbers; on Linux it changes only the calling thread.
 */
final class PosixThreadScheduler implements ThreadScheduler {
  /** SCHED_FIFO's value in Linux's uapi {@code <linux/sched.h>}, the same on every architecture. */
  static final int SCHED_FIFO = 1;

  /** The part of libc used here; glibc's {@code pthread_t} is an {@code unsigned long}. */
  interface Libc extends Library {
    NativeLong pthread_self();

    /** {@code param} points at a {@code struct sched_param}, whose only field is an int. */
    int pthread_setschedparam(NativeLong thread, int policy, int[] param);

    String strerror(int errnum);
  }

  private final Libc libc;

  private PosixThreadScheduler(Libc libc) {
    this.libc = libc;
  }

  /**
   * Binds to the running process's C library.
   *
   * @throws UnsatisfiedLinkError when libc or one of the calls cannot be found
   * @throws LinkageError (NoClassDefFoundError) when JNA is not on the class path
   */
  static PosixThreadScheduler load() {
    return new PosixThreadScheduler(Native.load("c", Libc.class));
  }

  @Override
  public int requestFifoForCurrentThread(int priority) {
    // pthread_setschedparam returns the error number itself; it does not set errno.
    return libc.pthread_setschedparam(libc.pthread_self(), SCHED_FIFO, new int[] {priority});
  }

  @Override
  public String errorText(int errno) {
    String text = libc.strerror(errno);
    return text == null ? "error " + errno : text;
  }
}
