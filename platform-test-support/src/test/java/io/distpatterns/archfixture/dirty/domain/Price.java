package io.distpatterns.archfixture.dirty.domain;

import io.distpatterns.archfixture.dirty.web.PriceController;
import io.distpatterns.archfixture.other.ForeignService;

/** Breaks two rules on purpose: knows its web layer and another service. */
public class Price {
    PriceController controller;
    ForeignService foreign;
}
