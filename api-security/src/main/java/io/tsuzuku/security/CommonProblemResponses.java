package io.tsuzuku.security;

import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What every API's problem responses share: Spring's own refusals and the codecs' limits keep their
 * 4xx status ({@link Problems#ofRefusal}), a use case's {@link RequestRefused} its kind's, and an unexpected failure is logged once and answered
 * with a 500 problem that says nothing of the inside. A service's {@code @RestControllerAdvice}
 * extends this and adds its own refusals (the closest handler wins). Also the one way an API runs
 * blocking work (the synchronous MongoDB driver) off the event loop.
 */
public abstract class CommonProblemResponses {

  private static final Logger log = LoggerFactory.getLogger(CommonProblemResponses.class);

  @ExceptionHandler({ResponseStatusException.class, ErrorResponseException.class, DataBufferLimitException.class, BeansException.class})
  public ProblemDetail refusedBySpring(Exception e) {
    return Problems.ofRefusal(e).orElseGet(() -> unexpected((RuntimeException) e));
  }

  @ExceptionHandler(RequestRefused.class)
  public ProblemDetail refusedByAUseCase(RequestRefused e) {
    var status =
        switch (e.kind()) {
          case INVALID -> HttpStatus.BAD_REQUEST;
          case NOT_FOUND -> HttpStatus.NOT_FOUND;
          case CONFLICT -> HttpStatus.CONFLICT;
          case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
          case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
    return Problems.of(status, e.code(), e.getMessage());
  }

  /** Where an unexpected failure of a request is finally handled: logged once, a 500 problem. */
  @ExceptionHandler(RuntimeException.class)
  public ProblemDetail unexpected(RuntimeException e) {
    var refusal = Problems.ofRefusal(e);
    if (refusal.isPresent()) {
      return refusal.get();
    }
    log.error("request failed reason='{}'", e.getMessage(), e);
    return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "An unexpected error occurred; it was logged.");
  }

  /** Runs blocking work on Reactor's bounded elastic pool, never on the event loop. */
  public static <T> Mono<T> offload(Callable<T> blocking) {
    return Mono.fromCallable(blocking).subscribeOn(Schedulers.boundedElastic());
  }
}
