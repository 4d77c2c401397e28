#include "services/elevenlabs/elevenlabsclient.h"
#include "services/simulator/elevenlabssimulator.h"

#include <QTest>

#include <memory>

using namespace breakwater;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(breakwater::FaultMode)
Q_DECLARE_METATYPE(breakwater::ErrorKind)

// The real client against the real simulator, over loopback, in every fault mode: what the
// pipeline will see when an operator injects an outage.
class TestClientVsSimulator : public QObject
{
    Q_OBJECT

private:
    struct Outcome
    {
        int calls = 0;
        SynthesisResult result;
    };

    std::unique_ptr<ElevenLabsSimulator> m_simulator;

    ElevenLabsSettings settings(std::chrono::milliseconds timeout = 10s) const
    {
        ElevenLabsSettings s;
        s.baseUrl = m_simulator->baseUrl();
        s.apiKey = QStringLiteral("sk_client_vs_simulator");
        s.timeout = timeout;
        s.probeTimeout = timeout;
        return s;
    }

    static std::shared_ptr<Outcome> synthesize(ElevenLabsClient& client)
    {
        auto outcome = std::make_shared<Outcome>();
        client.synthesize({QStringLiteral("Hello, your appointment is confirmed."), {}},
                          [outcome](const SynthesisResult& r) {
                              ++outcome->calls;
                              outcome->result = r;
                          });
        return outcome;
    }

private Q_SLOTS:
    void init()
    {
        m_simulator = std::make_unique<ElevenLabsSimulator>();
        QVERIFY(m_simulator->start());
    }
    void cleanup() { m_simulator.reset(); }

    void everyFaultModeIsClassified_data()
    {
        QTest::addColumn<FaultMode>("mode");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("countsAgainstBreaker");
        using K = ErrorKind;
        QTest::addRow("healthy") << FaultMode::Healthy << true << K::Transient << 200 << QString()
                                 << false;
        QTest::addRow("slow") << FaultMode::Slow << true << K::Transient << 200 << QString()
                              << false;
        QTest::addRow("503") << FaultMode::ServiceUnavailable << false << K::Transient << 503
                             << QStringLiteral("service_unavailable") << true;
        QTest::addRow("500") << FaultMode::InternalError << false << K::Transient << 500
                             << QStringLiteral("internal_server_error") << true;
        QTest::addRow("429") << FaultMode::RateLimited << false << K::Transient << 429
                             << QStringLiteral("too_many_concurrent_requests") << true;
        QTest::addRow("401 invalid key") << FaultMode::InvalidApiKey << false << K::Permanent << 401
                                         << QStringLiteral("invalid_api_key") << true;
        QTest::addRow("401 quota") << FaultMode::QuotaExceeded << false << K::Permanent << 401
                                   << QStringLiteral("quota_exceeded") << true;
        QTest::addRow("malformed") << FaultMode::MalformedBody << false << K::Transient << 200
                                   << QStringLiteral("unexpected_content_type") << true;
        QTest::addRow("reset") << FaultMode::ConnectionReset << false << K::Transient << 0
                               << QString() << true;
        QTest::addRow("hang") << FaultMode::Hang << false << K::Transient << 0 << QString() << true;
    }

    void everyFaultModeIsClassified()
    {
        QFETCH(FaultMode, mode);
        QFETCH(bool, ok);
        QFETCH(ErrorKind, kind);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(bool, countsAgainstBreaker);

        FaultPlan plan;
        plan.mode = mode;
        if (mode == FaultMode::Slow)
            plan.latency = 50ms;
        QVERIFY(m_simulator->setFaultPlan(plan).isEmpty());
        // Hanging is only ended by the client's deadline: keep it short for that row.
        ElevenLabsClient client(settings(mode == FaultMode::Hang ? 300ms : 10s));
        const auto outcome = synthesize(client);
        QTRY_COMPARE_WITH_TIMEOUT(outcome->calls, 1, 20000);
        const SynthesisResult& r = outcome->result;
        QCOMPARE(r.ok(), ok);
        if (ok) {
            QCOMPARE(r.contentType, QStringLiteral("audio/mpeg"));
            QVERIFY(r.audio.startsWith("\xFF\xFB"));
            return;
        }
        QCOMPARE(r.error->kind, kind);
        QCOMPARE(r.error->httpStatus, status);
        if (!code.isEmpty())
            QCOMPARE(r.error->vendorCode, code);
        QCOMPARE(r.error->countsAgainstBreaker(), countsAgainstBreaker);
        if (mode == FaultMode::RateLimited)
            QCOMPARE(r.error->retryAfter, std::optional<std::chrono::milliseconds>(1s));
        if (mode == FaultMode::Hang)
            QVERIFY2(r.error->message.contains(QStringLiteral("timed out")),
                     qPrintable(r.error->message));
        QVERIFY(!r.error->message.contains(QStringLiteral("sk_client_vs_simulator")));
    }

    void healthProbeFollowsThePlan()
    {
        ElevenLabsClient client(settings());
        for (FaultMode mode : {FaultMode::ServiceUnavailable, FaultMode::Healthy}) {
            FaultPlan plan;
            plan.mode = mode;
            QVERIFY(m_simulator->setFaultPlan(plan).isEmpty());
            auto verdict = std::make_shared<std::optional<std::optional<ServiceError>>>();
            client.healthProbe().probe(
                [verdict](const std::optional<ServiceError>& error) { *verdict = error; });
            QTRY_VERIFY_WITH_TIMEOUT(verdict->has_value(), 20000);
            QCOMPARE(!verdict->value().has_value(), mode == FaultMode::Healthy);
        }
    }

    void flappingFailsAboutItsFraction()
    {
        FaultPlan plan;
        plan.mode = FaultMode::Flapping;
        plan.flappingFailureRate = 0.5;
        plan.seed = 11;
        QVERIFY(m_simulator->setFaultPlan(plan).isEmpty());
        ElevenLabsClient client(settings());
        std::vector<std::shared_ptr<Outcome>> outcomes;
        for (int i = 0; i < 100; ++i)
            outcomes.push_back(synthesize(client));
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(outcomes.begin(), outcomes.end(),
                                             [](const auto& o) { return o->calls == 1; }),
                                 30000);
        const auto failed = std::count_if(outcomes.begin(), outcomes.end(),
                                          [](const auto& o) { return !o->result.ok(); });
        QVERIFY2(failed > 20 && failed < 80, qPrintable(QString::number(failed)));
    }
};

QTEST_GUILESS_MAIN(TestClientVsSimulator)
#include "tst_clientvssimulator.moc"
