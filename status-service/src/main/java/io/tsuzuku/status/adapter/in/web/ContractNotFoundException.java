package io.tsuzuku.status.adapter.in.web;

/** No such contract for this organisation (or the token is for another one: the same answer). */
class ContractNotFoundException extends RuntimeException {
  ContractNotFoundException(String contractId) {
    super("no such contract");
  }
}
