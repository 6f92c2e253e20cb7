package org.sipline.backend.jainsip.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.xbill.DNS.SRVRecord;

/**
 * The order RFC 2782 asks SRV targets to be tried in: lowest priority first; within one priority, a
 * weighted random pick among those left, again and again, so that over many clients each target
 * gets a share of first tries proportional to its weight. The random source is injected so that a
 * test can replay an order.
 */
final class SrvOrder {
  private SrvOrder() {}

  static List<SRVRecord> of(List<SRVRecord> records, RandomGenerator random) {
    List<SRVRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparingInt(SRVRecord::getPriority));
    List<SRVRecord> ordered = new ArrayList<>(records.size());
    int i = 0;
    while (i < sorted.size()) {
      int priority = sorted.get(i).getPriority();
      List<SRVRecord> group = new ArrayList<>();
      while (i < sorted.size() && sorted.get(i).getPriority() == priority) {
        group.add(sorted.get(i++));
      }
      ordered.addAll(byWeight(group, random));
    }
    return ordered;
  }

  private static List<SRVRecord> byWeight(List<SRVRecord> group, RandomGenerator random) {
    // RFC 2782: those of weight 0 go first in the list, so they get a (tiny) chance too.
    List<SRVRecord> left = new ArrayList<>(group.size());
    group.stream().filter(r -> r.getWeight() == 0).forEach(left::add);
    group.stream().filter(r -> r.getWeight() != 0).forEach(left::add);
    List<SRVRecord> picked = new ArrayList<>(group.size());
    while (!left.isEmpty()) {
      long sum = 0;
      for (SRVRecord r : left) {
        sum += r.getWeight();
      }
      long pick = random.nextLong(sum + 1);
      long running = 0;
      int chosen = left.size() - 1;
      for (int j = 0; j < left.size(); j++) {
        running += left.get(j).getWeight();
        if (running >= pick) {
          chosen = j;
          break;
        }
      }
      picked.add(left.remove(chosen));
    }
    return picked;
  }
}
