package io.tsuzuku.crmsync.adapter.in.web;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.CommonProblemResponses;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every refusal as RFC 9457 problem details with a machine-readable {@code code}: the settings
 * API's refusals are the use cases' {@code RequestRefused}, answered by {@link CommonProblemResponses}.
 */
@RestControllerAdvice
class ProblemResponses extends CommonProblemResponses {}
