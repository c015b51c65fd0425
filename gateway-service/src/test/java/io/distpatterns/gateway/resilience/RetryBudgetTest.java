package io.distpatterns.gateway.resilience;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

    @Test
    void allowsRetriesInProportionToRequests() {
        RetryBudget budget = new RetryBudget(0.2, 0);

        for (int i = 0; i < 50; i++) {
            budget.recordRequest();
        }
        int retries = 0;
        while (budget.tryWithdraw()) {
            retries++;
        }

        assertThat(retries).isEqualTo(10);
    }

    @Test
    void refusesRetriesWhenSpent() {
        RetryBudget budget = new RetryBudget(0.1, 0);
        budget.recordRequest();

        assertThat(budget.tryWithdraw()).isFalse();
    }

    @Test
    void grantsMinimumRetriesForLowTraffic() {
        RetryBudget budget = new RetryBudget(0.0, 3);

        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
    }
}
