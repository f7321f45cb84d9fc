package io.tsuzuku.crmsync.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** The org's API calls in the last 24 hours against its daily limit, from {@code Sforce-Limit-Info}. */
public record ApiUsage(long used, long limit) {

  private static final Pattern API_USAGE = Pattern.compile("(?<![\\w-])api-usage=(\\d+)/(\\d+)");

  /** Reads {@code api-usage=18/5000} from the header's value; empty when absent or unreadable. */
  public static Optional<ApiUsage> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    var matcher = API_USAGE.matcher(header);
    return matcher.find()
        ? Optional.of(new ApiUsage(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))))
        : Optional.empty();
  }

  public double share() {
    return limit <= 0 ? 0 : (double) used / limit;
  }
}
