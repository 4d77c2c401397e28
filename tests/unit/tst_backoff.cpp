#include "retry/backoff.h"
#include "retry/retrypolicy.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>

using namespace breakwater;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(breakwater::BackoffKind)
Q_DECLARE_METATYPE(breakwater::RetryConfig)

namespace {

constexpr BackoffKind kAllKinds[] = {
    BackoffKind::Constant,   BackoffKind::Linear,      BackoffKind::Exponential,
    BackoffKind::FullJitter, BackoffKind::EqualJitter, BackoffKind::DecorrelatedJitter,
};

constexpr BackoffKind kJitteredKinds[] = {
    BackoffKind::FullJitter,
    BackoffKind::EqualJitter,
    BackoffKind::DecorrelatedJitter,
};

struct Shape
{
    const char* name;
    qint64 baseMs;
    double multiplier;
    qint64 capMs;
};

constexpr Shape kShapes[] = {
    {"default", 200, 2.0, 10'000},     {"gentle", 100, 1.5, 5'000},
    {"multiplier 1", 100, 1.0, 1'000}, {"base equals cap", 1'000, 2.0, 1'000},
    {"zero base", 0, 2.0, 1'000},      {"cap out of reach", 1, 2.0, 3'600'000},
};

constexpr qint64 kMsNs = 1'000'000;

BackoffConfig makeConfig(BackoffKind kind, qint64 baseMs = 200, double multiplier = 2.0,
                         qint64 capMs = 10'000)
{
    BackoffConfig config;
    config.kind = kind;
    config.base = std::chrono::milliseconds(baseMs);
    config.multiplier = multiplier;
    config.cap = std::chrono::milliseconds(capMs);
    return config;
}

// min(cap, base * multiplier^(retry-1)), straight from the formula rather than from a table.
qint64 exponentialNs(const BackoffConfig& config, int retry)
{
    const long double base = static_cast<long double>(config.base.count());
    const long double cap = static_cast<long double>(config.cap.count());
    const long double value = base * std::pow(static_cast<long double>(config.multiplier),
                                              static_cast<long double>(retry - 1));
    return static_cast<qint64>(std::min(value, cap));
}

// Why `delayNs` is out of range for its kind, or an empty string. `previousNs` is the delay
// returned before it (0 before the first), which bounds decorrelated jitter.
QString rangeProblem(const BackoffConfig& config, int retry, qint64 delayNs, qint64 previousNs)
{
    const qint64 base = config.base.count();
    const qint64 cap = config.cap.count();
    const qint64 exponential = exponentialNs(config, retry);
    qint64 low = 0;
    qint64 high = 0;
    switch (config.kind) {
    case BackoffKind::Constant:
        low = high = base;
        break;
    case BackoffKind::Linear:
        low = high = std::min<qint64>(cap, base * retry);
        break;
    case BackoffKind::Exponential: // one nanosecond of slack for floating-point rounding
        low = exponential - 1;
        high = exponential + 1;
        break;
    case BackoffKind::FullJitter:
        low = 0;
        high = exponential + 1;
        break;
    case BackoffKind::EqualJitter:
        low = exponential / 2 - 1;
        high = exponential + 1;
        break;
    case BackoffKind::DecorrelatedJitter:
        low = base;
        high = std::min<qint64>(cap, std::max(previousNs, base) * 3);
        break;
    }
    if (delayNs < 0 || delayNs > cap || delayNs < low || delayNs > high) {
        return QStringLiteral("retry %1: %2 ns outside [%3, %4] (cap %5)")
            .arg(retry)
            .arg(delayNs)
            .arg(low)
            .arg(high)
            .arg(cap);
    }
    return {};
}

QList<qint64> sequence(const Backoff& backoff, std::uint64_t seed, int retries = 20)
{
    BackoffState state(seed);
    QList<qint64> delays;
    for (int retry = 1; retry <= retries; ++retry)
        delays.append(backoff.delay(retry, state).count());
    return delays;
}

bool isJittered(BackoffKind kind)
{
    return std::find(std::begin(kJitteredKinds), std::end(kJitteredKinds), kind) !=
           std::end(kJitteredKinds);
}

} // namespace

class TestBackoff final : public QObject
{
    Q_OBJECT

private slots:
    void delayRange_data();
    void delayRange();
    void seedDecidesSequence_data();
    void seedDecidesSequence();
    void jitterSpreads_data();
    void jitterSpreads();
    void hugeRetryNumbers_data();
    void hugeRetryNumbers();
    void exponentialBeyondTable_data();
    void exponentialBeyondTable();
    void kindNames_data();
    void kindNames();
    void unknownKindNames_data();
    void unknownKindNames();
    void backoffValidation_data();
    void backoffValidation();
    void zeroBaseIsOnlyForConstant_data();
    void zeroBaseIsOnlyForConstant();
    void policyHonoursRetryAfter_data();
    void policyHonoursRetryAfter();
    void policyUsesBackoffWithoutRetryAfter();
    void retryConfigValidation_data();
    void retryConfigValidation();
};

void TestBackoff::delayRange_data()
{
    QTest::addColumn<BackoffKind>("kind");
    QTest::addColumn<qint64>("baseMs");
    QTest::addColumn<double>("multiplier");
    QTest::addColumn<qint64>("capMs");

    for (BackoffKind kind : kAllKinds) {
        for (const Shape& shape : kShapes) {
            if (shape.baseMs == 0 && kind != BackoffKind::Constant)
                continue; // rejected by validation: see zeroBaseIsOnlyForConstant
            QTest::addRow("%s, %s", qPrintable(backoffKindName(kind)), shape.name)
                << kind << shape.baseMs << shape.multiplier << shape.capMs;
        }
    }
}

void TestBackoff::delayRange()
{
    QFETCH(BackoffKind, kind);
    QFETCH(qint64, baseMs);
    QFETCH(double, multiplier);
    QFETCH(qint64, capMs);

    const BackoffConfig config = makeConfig(kind, baseMs, multiplier, capMs);
    QVERIFY(validateBackoff(config).isEmpty());
    const Backoff backoff(config);

    for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xdeadbeefULL}) {
        BackoffState state(seed);
        qint64 previous = 0;
        for (int retry = 1; retry <= 20; ++retry) {
            const qint64 delay = backoff.delay(retry, state).count();
            const QString problem = rangeProblem(config, retry, delay, previous);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            previous = delay;
        }
    }
}

void TestBackoff::seedDecidesSequence_data()
{
    QTest::addColumn<BackoffKind>("kind");

    for (BackoffKind kind : kAllKinds)
        QTest::addRow("%s", qPrintable(backoffKindName(kind))) << kind;
}

void TestBackoff::seedDecidesSequence()
{
    QFETCH(BackoffKind, kind);

    const Backoff backoff(makeConfig(kind));
    QCOMPARE(sequence(backoff, 7), sequence(backoff, 7));
    QCOMPARE(sequence(backoff, 0), sequence(backoff, 0));

    // Two calls sharing one Backoff keep their own sequences even when interleaved.
    BackoffState first(7);
    BackoffState second(7);
    QList<qint64> interleavedFirst;
    QList<qint64> interleavedSecond;
    for (int retry = 1; retry <= 20; ++retry) {
        interleavedFirst.append(backoff.delay(retry, first).count());
        interleavedSecond.append(backoff.delay(retry, second).count());
    }
    QCOMPARE(interleavedFirst, sequence(backoff, 7));
    QCOMPARE(interleavedSecond, sequence(backoff, 7));

    if (isJittered(kind)) {
        QVERIFY(sequence(backoff, 7) != sequence(backoff, 8));
        QVERIFY(sequence(backoff, 0) != sequence(backoff, 1));
        QVERIFY(sequence(backoff, 1) != sequence(backoff, 0x8000'0000'0000'0001ULL));
    } else {
        QCOMPARE(sequence(backoff, 7), sequence(backoff, 8)); // the seed plays no part
    }
}

void TestBackoff::jitterSpreads_data()
{
    QTest::addColumn<BackoffKind>("kind");
    QTest::addColumn<qint64>("lowNs"); // the range the draws should fill
    QTest::addColumn<qint64>("highNs");

    // Default config: base 200 ms, retry 5 -> exponential 3.2 s.
    QTest::addRow("full_jitter") << BackoffKind::FullJitter << qint64(0) << 3'200 * kMsNs;
    QTest::addRow("equal_jitter") << BackoffKind::EqualJitter << 1'600 * kMsNs << 3'200 * kMsNs;
    // Always from a fresh previous delay: between base and three times base.
    QTest::addRow("decorrelated_jitter")
        << BackoffKind::DecorrelatedJitter << 200 * kMsNs << 600 * kMsNs;
}

void TestBackoff::jitterSpreads()
{
    QFETCH(BackoffKind, kind);
    QFETCH(qint64, lowNs);
    QFETCH(qint64, highNs);

    const Backoff backoff(makeConfig(kind));
    BackoffState state(2024);
    const double span = static_cast<double>(highNs - lowNs);
    double minimum = std::numeric_limits<double>::max();
    double maximum = std::numeric_limits<double>::lowest();
    double sum = 0;
    constexpr int kDraws = 1000;
    for (int i = 0; i < kDraws; ++i) {
        state.previous = Duration::zero();
        const double fraction = static_cast<double>(backoff.delay(5, state).count() - lowNs) / span;
        QVERIFY2(fraction >= 0.0 && fraction <= 1.0, qPrintable(QString::number(fraction)));
        minimum = std::min(minimum, fraction);
        maximum = std::max(maximum, fraction);
        sum += fraction;
    }
    QVERIFY2(minimum < 0.25, qPrintable(QString::number(minimum)));
    QVERIFY2(maximum > 0.75, qPrintable(QString::number(maximum)));
    const double mean = sum / kDraws;
    QVERIFY2(mean > 0.4 && mean < 0.6, qPrintable(QString::number(mean)));
}

void TestBackoff::hugeRetryNumbers_data()
{
    QTest::addColumn<BackoffKind>("kind");
    QTest::addColumn<int>("retry");
    QTest::addColumn<bool>("exactlyCap"); // false: only bounds are checked

    const int retries[] = {64, 65, 100, 1000, std::numeric_limits<int>::max()};
    for (BackoffKind kind : kAllKinds) {
        const bool exact = kind == BackoffKind::Linear || kind == BackoffKind::Exponential;
        for (int retry : retries) {
            QTest::addRow("%s, %d", qPrintable(backoffKindName(kind)), retry)
                << kind << retry << exact;
        }
        // Not valid retry numbers, but they must not break the bounds either.
        QTest::addRow("%s, 0", qPrintable(backoffKindName(kind))) << kind << 0 << false;
        QTest::addRow("%s, -1", qPrintable(backoffKindName(kind))) << kind << -1 << false;
    }
}

void TestBackoff::hugeRetryNumbers()
{
    QFETCH(BackoffKind, kind);
    QFETCH(int, retry);
    QFETCH(bool, exactlyCap);

    const BackoffConfig config = makeConfig(kind);
    const Backoff backoff(config);
    BackoffState state(3);
    for (int i = 0; i < 10; ++i) {
        const Duration delay = backoff.delay(retry, state);
        QVERIFY(delay >= Duration::zero());
        QVERIFY(delay <= config.cap);
        if (exactlyCap)
            QCOMPARE(delay.count(), config.cap.count());
        if (kind == BackoffKind::Constant)
            QCOMPARE(delay.count(), config.base.count());
    }
}

void TestBackoff::exponentialBeyondTable_data()
{
    QTest::addColumn<int>("retry");

    // base 100 ms, multiplier 1.05, cap 10 s: the cap is reached only at retry 81, and a policy
    // may make up to 99 retries.
    QTest::addRow("retry 1") << 1;
    QTest::addRow("retry 30") << 30;
    QTest::addRow("retry 64") << 64;
    QTest::addRow("retry 65") << 65;
    QTest::addRow("retry 80") << 80;
    QTest::addRow("retry 99") << 99;
    QTest::addRow("retry 1000") << 1000;
}

void TestBackoff::exponentialBeyondTable()
{
    QFETCH(int, retry);

    const BackoffConfig config = makeConfig(BackoffKind::Exponential, 100, 1.05, 10'000);
    QVERIFY(validateBackoff(config).isEmpty());
    BackoffState state;
    const qint64 delay = Backoff(config).delay(retry, state).count();
    const qint64 expected = exponentialNs(config, retry);
    QVERIFY2(std::abs(delay - expected) <= 1,
             qPrintable(QStringLiteral("%1 ns, expected %2 ns").arg(delay).arg(expected)));
}

void TestBackoff::kindNames_data()
{
    QTest::addColumn<BackoffKind>("kind");
    QTest::addColumn<QString>("name");

    QTest::addRow("constant") << BackoffKind::Constant << QStringLiteral("constant");
    QTest::addRow("linear") << BackoffKind::Linear << QStringLiteral("linear");
    QTest::addRow("exponential") << BackoffKind::Exponential << QStringLiteral("exponential");
    QTest::addRow("full_jitter") << BackoffKind::FullJitter << QStringLiteral("full_jitter");
    QTest::addRow("equal_jitter") << BackoffKind::EqualJitter << QStringLiteral("equal_jitter");
    QTest::addRow("decorrelated_jitter")
        << BackoffKind::DecorrelatedJitter << QStringLiteral("decorrelated_jitter");
}

void TestBackoff::kindNames()
{
    QFETCH(BackoffKind, kind);
    QFETCH(QString, name);

    QCOMPARE(backoffKindName(kind), name);
    const std::optional<BackoffKind> parsed = backoffKindFromName(name);
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, kind);
}

void TestBackoff::unknownKindNames_data()
{
    QTest::addColumn<QString>("name");

    QTest::addRow("empty") << QString();
    QTest::addRow("blank") << QStringLiteral(" ");
    QTest::addRow("dashed") << QStringLiteral("full-jitter");
    QTest::addRow("run together") << QStringLiteral("fulljitter");
    QTest::addRow("prefix") << QStringLiteral("expo");
    QTest::addRow("suffix") << QStringLiteral("linearly");
    QTest::addRow("other") << QStringLiteral("fibonacci");
    QTest::addRow("jitter alone") << QStringLiteral("jitter");
}

void TestBackoff::unknownKindNames()
{
    QFETCH(QString, name);

    QVERIFY(!backoffKindFromName(name).has_value());
}

void TestBackoff::backoffValidation_data()
{
    QTest::addColumn<qint64>("baseNs");
    QTest::addColumn<double>("multiplier");
    QTest::addColumn<qint64>("capNs");
    QTest::addColumn<QString>("problem"); // a word the message must contain; empty when valid

    const qint64 s = 1'000 * kMsNs;
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const QString ok;
    QTest::addRow("default") << 200 * kMsNs << 2.0 << 10 * s << ok;
    QTest::addRow("zero base") << qint64(0) << 2.0 << 10 * s << QStringLiteral("base");
    QTest::addRow("zero base and cap") << qint64(0) << 2.0 << qint64(0) << QStringLiteral("base");
    QTest::addRow("base equals cap") << s << 2.0 << s << ok;
    QTest::addRow("multiplier 1") << s << 1.0 << 10 * s << ok;
    QTest::addRow("large multiplier") << s << 1000.0 << 10 * s << ok;
    QTest::addRow("negative base") << qint64(-1) << 2.0 << 10 * s << QStringLiteral("base");
    QTest::addRow("cap below base") << 2 * s << 2.0 << s << QStringLiteral("cap");
    QTest::addRow("negative cap") << s << 2.0 << qint64(-1) << QStringLiteral("cap");
    QTest::addRow("multiplier below 1") << s << 0.999 << 10 * s << QStringLiteral("multiplier");
    QTest::addRow("multiplier 0") << s << 0.0 << 10 * s << QStringLiteral("multiplier");
    QTest::addRow("negative multiplier") << s << -2.0 << 10 * s << QStringLiteral("multiplier");
    QTest::addRow("NaN multiplier") << s << nan << 10 * s << QStringLiteral("multiplier");
    QTest::addRow("infinite multiplier") << s << inf << 10 * s << QStringLiteral("multiplier");
    QTest::addRow("-inf multiplier") << s << -inf << 10 * s << QStringLiteral("multiplier");
}

void TestBackoff::zeroBaseIsOnlyForConstant_data()
{
    QTest::addColumn<BackoffKind>("kind");
    for (int k = 0; k <= static_cast<int>(BackoffKind::DecorrelatedJitter); ++k) {
        const auto kind = static_cast<BackoffKind>(k);
        QTest::addRow("%s", qPrintable(backoffKindName(kind))) << kind;
    }
}

void TestBackoff::zeroBaseIsOnlyForConstant()
{
    // "Retry at once" is a constant backoff of 0; from a zero base the growing formulas would
    // never wait at all, which no one means.
    QFETCH(BackoffKind, kind);
    BackoffConfig config;
    config.kind = kind;
    config.base = Duration::zero();
    const QString problem = validateBackoff(config);
    if (kind == BackoffKind::Constant)
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    else
        QVERIFY2(problem.contains(QStringLiteral("base must be positive")), qPrintable(problem));
}

void TestBackoff::backoffValidation()
{
    QFETCH(qint64, baseNs);
    QFETCH(double, multiplier);
    QFETCH(qint64, capNs);
    QFETCH(QString, problem);

    BackoffConfig config;
    config.base = Duration(baseNs);
    config.multiplier = multiplier;
    config.cap = Duration(capNs);

    const QString message = validateBackoff(config);
    if (problem.isEmpty()) {
        QVERIFY2(message.isEmpty(), qPrintable(message));
    } else {
        QVERIFY(!message.isEmpty());
        QVERIFY2(message.contains(problem), qPrintable(message));
    }
}

void TestBackoff::policyHonoursRetryAfter_data()
{
    QTest::addColumn<qint64>("backoffMs"); // a constant backoff, so the expected wait is exact
    QTest::addColumn<qint64>("maxRetryAfterMs");
    QTest::addColumn<qint64>("retryAfterMs"); // -1: the error carries none
    QTest::addColumn<qint64>("expectedMs");

    QTest::addRow("no Retry-After")
        << qint64(1'000) << qint64(30'000) << qint64(-1) << qint64(1'000);
    QTest::addRow("Retry-After longer")
        << qint64(1'000) << qint64(30'000) << qint64(5'000) << qint64(5'000);
    QTest::addRow("backoff longer")
        << qint64(1'000) << qint64(30'000) << qint64(200) << qint64(1'000);
    QTest::addRow("equal") << qint64(1'000) << qint64(30'000) << qint64(1'000) << qint64(1'000);
    QTest::addRow("zero Retry-After")
        << qint64(1'000) << qint64(30'000) << qint64(0) << qint64(1'000);
    QTest::addRow("Retry-After capped")
        << qint64(1'000) << qint64(30'000) << qint64(3'600'000) << qint64(30'000);
    QTest::addRow("Retry-After at the cap")
        << qint64(1'000) << qint64(30'000) << qint64(30'000) << qint64(30'000);
    QTest::addRow("cap below backoff")
        << qint64(1'000) << qint64(500) << qint64(60'000) << qint64(1'000);
    QTest::addRow("Retry-After ignored")
        << qint64(1'000) << qint64(0) << qint64(60'000) << qint64(1'000);
}

void TestBackoff::policyHonoursRetryAfter()
{
    QFETCH(qint64, backoffMs);
    QFETCH(qint64, maxRetryAfterMs);
    QFETCH(qint64, retryAfterMs);
    QFETCH(qint64, expectedMs);

    RetryConfig config;
    config.backoff = makeConfig(BackoffKind::Constant, backoffMs, 2.0, 10'000);
    config.maxRetryAfter = std::chrono::milliseconds(maxRetryAfterMs);
    QVERIFY(validateRetryConfig(config).isEmpty());
    const RetryPolicy policy(config);

    ServiceError cause = ServiceError::transient(QStringLiteral("HTTP 429 Too Many Requests"));
    if (retryAfterMs >= 0)
        cause.retryAfter = std::chrono::milliseconds(retryAfterMs);

    BackoffState state;
    for (int retry = 1; retry <= 5; ++retry)
        QCOMPARE(policy.delay(retry, state, cause).count(), expectedMs * kMsNs);
}

void TestBackoff::policyUsesBackoffWithoutRetryAfter()
{
    RetryConfig config;
    config.maxAttempts = 20;
    const RetryPolicy policy(config);
    const Backoff backoff(config.backoff);
    const ServiceError cause = ServiceError::transient(QStringLiteral("HTTP 503"));

    BackoffState viaPolicy(99);
    BackoffState direct(99);
    for (int retry = 1; retry < policy.maxAttempts(); ++retry)
        QCOMPARE(policy.delay(retry, viaPolicy, cause).count(),
                 backoff.delay(retry, direct).count());

    // With a Retry-After, jitter may lengthen the wait but never shorten it below the server's.
    ServiceError throttled = cause;
    throttled.retryAfter = 2s;
    BackoffState state(5);
    for (int retry = 1; retry < policy.maxAttempts(); ++retry) {
        const Duration delay = policy.delay(retry, state, throttled);
        QVERIFY(delay >= 2s);
        QVERIFY(delay <= std::max<Duration>(2s, config.backoff.cap));
    }
}

void TestBackoff::retryConfigValidation_data()
{
    QTest::addColumn<RetryConfig>("config");
    QTest::addColumn<QString>("problem"); // a key the message must name; empty when valid

    const auto with = [](auto change) {
        RetryConfig config;
        change(config);
        return config;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();

    QTest::addRow("default") << RetryConfig{} << QString();
    QTest::addRow("one attempt") << with([](RetryConfig& c) { c.maxAttempts = 1; }) << QString();
    QTest::addRow("100 attempts") << with([](RetryConfig& c) { c.maxAttempts = 100; }) << QString();
    QTest::addRow("attempt timeout set")
        << with([](RetryConfig& c) { c.attemptTimeout = 5s; }) << QString();
    QTest::addRow("no Retry-After honoured")
        << with([](RetryConfig& c) { c.maxRetryAfter = 0s; }) << QString();

    QTest::addRow("0 attempts") << with([](RetryConfig& c) { c.maxAttempts = 0; })
                                << QStringLiteral("max_attempts");
    QTest::addRow("101 attempts") << with([](RetryConfig& c) { c.maxAttempts = 101; })
                                  << QStringLiteral("max_attempts");
    QTest::addRow("negative attempts")
        << with([](RetryConfig& c) { c.maxAttempts = -1; }) << QStringLiteral("max_attempts");
    QTest::addRow("negative attempt timeout")
        << with([](RetryConfig& c) { c.attemptTimeout = -1ms; })
        << QStringLiteral("attempt_timeout");
    QTest::addRow("negative max Retry-After")
        << with([](RetryConfig& c) { c.maxRetryAfter = -1ms; })
        << QStringLiteral("max_retry_after");
    QTest::addRow("bad backoff") << with([](RetryConfig& c) { c.backoff.base = -1ms; })
                                 << QStringLiteral("base");
    QTest::addRow("budget without tokens")
        << with([](RetryConfig& c) { c.budget.maxTokens = 0; }) << QStringLiteral("max_tokens");
    QTest::addRow("budget with zero ratio")
        << with([](RetryConfig& c) { c.budget.tokenRatio = 0; }) << QStringLiteral("token_ratio");
    QTest::addRow("budget with NaN ratio")
        << with([nan](RetryConfig& c) { c.budget.tokenRatio = nan; })
        << QStringLiteral("token_ratio");
}

void TestBackoff::retryConfigValidation()
{
    QFETCH(RetryConfig, config);
    QFETCH(QString, problem);

    const QString message = validateRetryConfig(config);
    if (problem.isEmpty()) {
        QVERIFY2(message.isEmpty(), qPrintable(message));
    } else {
        QVERIFY(!message.isEmpty());
        QVERIFY2(message.contains(problem), qPrintable(message));
    }
}

QTEST_APPLESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
