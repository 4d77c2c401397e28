#include "sheetssinkrig.h"

#include <QElapsedTimer>
#include <QTest>

using namespace breakwater;
using namespace breakwater::sheetstest;
using namespace std::chrono_literals;

// How the real Sheets sink gets its bearer tokens, against fakes of Google's token endpoint
// (which verifies the service account's JWT with OpenSSL) and values.append: cached, renewed
// before they expire and once after a 401, a fixed one used as it is; and what it says when it
// is refused, without any secret in it.
class TestSheetsAuth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_account = std::make_unique<testing::TestServiceAccount>();
        QVERIFY2(m_account->isValid(), qPrintable(m_account->errorString()));
    }

    void tokenIsCachedAndRenewedOnceAfter401()
    {
        SheetsRig rig(*m_account);
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        std::uint64_t seq = 0;
        for (int round = 1; round <= 4; ++round) {
            feed(*sink, callOutcomes(seq + 1, 5));
            seq += 5;
            QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), int(seq), kDeliveryTimeoutMs);
        }
        QVERIFY(rig.server.appendCount() >= 4);
        QCOMPARE(rig.server.tokenRequestCount(), 1);

        // Google revokes or expires the token early: one 401, one new token, the rows go out.
        rig.server.expireTokens();
        feed(*sink, callOutcomes(seq + 1, 5));
        seq += 5;
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), int(seq), kDeliveryTimeoutMs);
        QCOMPARE(rig.server.status401Count(), 1);
        QCOMPARE(rig.server.tokenRequestCount(), 2);
        QCOMPARE(sink->tokensFetched(), 2);
        QCOMPARE(rig.server.eventIds(), eventIds(sink->runId(), 1, int(seq)));
        // A token renewed on the way is no failure to tell anyone about.
        QCOMPARE(countOf(rig.events, EventType::SheetsAppendFailed), 0);
        QVERIFY2(rig.server.refusals().size() == 1, qPrintable(rig.refusals()));
    }

    void aTokenIsRenewedBeforeItExpires()
    {
        SheetsRig rig(*m_account);
        rig.server.setTokenLifetime(2); // the fake refuses each token two seconds after issuing it
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        QElapsedTimer running;
        running.start();
        std::uint64_t seq = 0;
        while (running.elapsed() < 3'000) {
            feed(*sink, callOutcomes(seq + 1, 2));
            seq += 2;
            QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), int(seq), kDeliveryTimeoutMs);
        }
        QCOMPARE(rig.server.status401Count(), 0);
        QVERIFY2(rig.server.tokenRequestCount() >= 2,
                 qPrintable(QString::number(rig.server.tokenRequestCount())));
        QCOMPARE(rig.server.eventIds(), eventIds(sink->runId(), 1, int(seq)));
    }

    void fixedBearerTokenIsUsedAsIs()
    {
        SheetsRig rig(*m_account);
        const QByteArray bearer = "ya29.fixed-bearer-from-settings-5f2c9e";
        rig.server.acceptToken(bearer);
        SheetsSettings settings = rig.settings();
        settings.credentialsFile.clear();
        settings.bearerToken = QString::fromLatin1(bearer);
        auto sink = rig.sink(settings, rig.options());
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 12));
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 12, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.tokenRequestCount(), 0);
        QCOMPARE(rig.server.eventIds(), eventIds(sink->runId(), 1, 12));
    }

    void aFixedTokenRefusedIsToldWithoutTheToken()
    {
        SheetsRig rig(*m_account);
        const QByteArray bearer = "ya29.revoked-bearer-7d1e4a0b9c";
        rig.server.quoteCredentialsInRefusals(true);
        rig.server.answerAppends(1, 401); // a 401 that quotes the token it got
        rig.server.acceptToken(bearer);
        SheetsSettings settings = rig.settings();
        settings.credentialsFile.clear();
        settings.bearerToken = QString::fromLatin1(bearer);
        auto sink = rig.sink(settings, rig.options());
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 3));

        QTRY_COMPARE_WITH_TIMEOUT(countOf(rig.events, EventType::SheetsAppendFailed), 1,
                                  kDeliveryTimeoutMs);
        const Event failed = eventsOf(rig.events, EventType::SheetsAppendFailed).front();
        QCOMPARE(failed.reason, QStringLiteral("unauthorized"));
        QCOMPARE(failed.errorKind, std::optional(ErrorKind::Permanent));
        QCOMPARE(sink->queuedRows(), std::uint64_t(3));
        const QStringList secrets{QString::fromLatin1(bearer)};
        QCOMPARE(findSecret(secrets, rig.events.recorder().events(), {sink->lastError()},
                            rig.logDir.path()),
                 QString());
        QVERIFY2(sink->lastError().contains(QStringLiteral("********")),
                 qPrintable(sink->lastError()));
    }

    void noSecretInEventsErrorsOrFiles()
    {
        SheetsRig rig(*m_account);
        rig.server.quoteCredentialsInRefusals(true);
        rig.server.answerAppends(1, 503);
        rig.server.answerAppends(1, 403);
        rig.server.answerAppends(1, 429, 0);
        SheetsSinkOptions options = rig.options();
        options.permanentRetryDelay = 200ms;
        auto sink = rig.sink(rig.settings(), options);
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 5));
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 5, kDeliveryTimeoutMs);
        QStringList errors{sink->lastError()};
        // A 401 to an expired token, then the token endpoint down for a while.
        rig.server.expireTokens();
        rig.server.answerTokens(2, 503, "temporarily_unavailable");
        feed(*sink, callOutcomes(6, 5));
        // lastError() changes as the attempts go: every text it shows on the way is searched.
        QElapsedTimer waited;
        waited.start();
        while (rig.storedRows() < 10 && waited.elapsed() < kDeliveryTimeoutMs) {
            if (const QString error = sink->lastError(); !error.isEmpty())
                errors.append(error);
            QTest::qWait(5);
        }
        QCOMPARE(rig.storedRows(), 10);
        QVERIFY2(errors.size() > 1, "no error was seen while the token endpoint refused");
        QVERIFY(stopInBackground(*sink, 1s));

        QVERIFY(countOf(rig.events, EventType::SheetsAppendFailed) >= 3);
        QStringList secrets = rig.server.issuedTokens() + m_account->privateKeyFragments() +
                              rig.server.quotedAssertions();
        QCOMPARE(rig.server.quotedAssertions().size(), 2);
        QVERIFY(rig.server.issuedTokens().size() >= 2);
        QVERIFY(!m_account->privateKeyFragments().isEmpty());
        errors.append(sink->lastError());
        QCOMPARE(findSecret(secrets, rig.events.recorder().events(), errors, rig.logDir.path()),
                 QString());
        // The search itself works: the refusals did quote a token.
        bool quoted = false;
        for (const Event& e : rig.events.recorder().events())
            quoted = quoted || e.message.contains(QStringLiteral("of Bearer ********"));
        QVERIFY(quoted);
        bool withheld = false; // and the token endpoint's quote of the grant was kept back
        for (const QString& error : errors)
            withheld = withheld || error.contains(QStringLiteral("quoted the signed grant"));
        QVERIFY2(withheld, qPrintable(errors.join(u'\n')));
    }

    void aQuoteCutShortAndTheStatusAreScrubbedToo()
    {
        SheetsRig rig(*m_account);
        rig.server.quoteCredentialsInRefusals(true);
        // The token starts 17 characters before the 300 a message is cut to: cut first, what is
        // left of it no longer matches the whole token.
        rig.server.setCredentialsQuoteColumn(283);
        rig.server.quoteCredentialsInStatus(true);
        rig.server.answerAppends(1, 403);
        SheetsSinkOptions options = rig.options();
        options.permanentRetryDelay = 200ms;
        auto sink = rig.sink(rig.settings(), options);
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 3));
        QStringList errors;
        QElapsedTimer waited;
        waited.start();
        while (rig.storedRows() < 3 && waited.elapsed() < kDeliveryTimeoutMs) {
            if (const QString error = sink->lastError(); !error.isEmpty())
                errors.append(error);
            QTest::qWait(5);
        }
        QCOMPARE(rig.storedRows(), 3);
        QVERIFY(stopInBackground(*sink, 1s));
        errors.append(sink->lastError());

        const std::vector<Event> failed = eventsOf(rig.events, EventType::SheetsAppendFailed);
        QCOMPARE(failed.size(), std::size_t(1));
        QCOMPARE(failed.front().reason, QStringLiteral("forbidden"));
        QVERIFY(!failed.front().errorCode.isEmpty());
        QStringList secrets;
        for (const QString& token : rig.server.issuedTokens()) {
            QVERIFY2(token.size() > 17, qPrintable(token)); // or the cut would not split it
            secrets << token << token.left(16) << token.mid(1, 16);
        }
        QVERIFY(!secrets.isEmpty());
        QCOMPARE(findSecret(secrets, rig.events.recorder().events(), errors, rig.logDir.path()),
                 QString());
    }

    void aFreshTokenRefusedTooIsToldNotFetchedInALoop()
    {
        SheetsRig rig(*m_account);
        rig.server.answerAppends(2, 401);
        auto sink = rig.sink();
        QCOMPARE(sink->start(), QString());
        feed(*sink, callOutcomes(1, 4));

        QTRY_COMPARE_WITH_TIMEOUT(countOf(rig.events, EventType::SheetsAppendFailed), 1,
                                  kDeliveryTimeoutMs);
        const Event failed = eventsOf(rig.events, EventType::SheetsAppendFailed).front();
        QCOMPARE(failed.reason, QStringLiteral("unauthorized"));
        QCOMPARE(failed.errorKind, std::optional(ErrorKind::Permanent));
        QVERIFY2(failed.message.contains(QStringLiteral("freshly fetched")),
                 qPrintable(failed.message));
        QCOMPARE(rig.server.tokenRequestCount(), 2); // the first, and one after the first 401
        QCOMPARE(rig.storedRows(), 0);
        // Tried again at the slow pace of refusals, with yet another token: it works now.
        QTRY_COMPARE_WITH_TIMEOUT(rig.storedRows(), 4, kDeliveryTimeoutMs);
        QCOMPARE(rig.server.tokenRequestCount(), 3);
        QCOMPARE(rig.server.eventIds(), eventIds(sink->runId(), 1, 4));
    }

private:
    std::unique_ptr<testing::TestServiceAccount> m_account;
};

QTEST_GUILESS_MAIN(TestSheetsAuth)
#include "tst_sheetsauth.moc"
