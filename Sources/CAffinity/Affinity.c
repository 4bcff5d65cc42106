#define _GNU_SOURCE
#include <sched.h>
#include "CAffinity.h"

int laminar_cpu_affinity(unsigned char *flags, int capacity) {
  cpu_set_t mask;
  if (sched_getaffinity(0, sizeof mask, &mask) != 0) return -1;
  int count = capacity < CPU_SETSIZE ? capacity : CPU_SETSIZE;
  for (int cpu = 0; cpu < count; cpu++) flags[cpu] = CPU_ISSET(cpu, &mask) ? 1 : 0;
  return count;
}
