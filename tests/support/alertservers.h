#pragma once

#include "alerts/alertsettings.h"
#include "rfc5322message.h"
#include "smtptestserver.h"
#include "telegramtestserver.h"
#include "testcertificate.h"
#include "webhooktestreceiver.h"

#include <QTcpServer>

#include <memory>

namespace breakwater::testing {

// Secrets the alert tests configure, and then look for in every event and message: none of them
// may ever show.
inline const QByteArray kTestBotToken = "424242:breakwater-test-bot-token";
inline const QByteArray kTestSmtpPassword = "smtp-pass-Zx9-secret";
inline const QString kTestWebhookSecret =
    QStringLiteral("whsec_") + QString::fromLatin1(QByteArray("breakwater webhook key").toBase64());

// The three channels' servers on 127.0.0.1: an SMTP server that wants STARTTLS and a login (with
// a certificate made for the test), a Telegram Bot API that checks the token, and a webhook
// receiver that checks signatures. The SMTP server can start late, on the port the settings
// already name, to play a mail server that was down.
class AlertServers final
{
public:
    explicit AlertServers(bool smtpUp = true)
        : telegram(kTestBotToken)
        , webhook(kTestWebhookSecret)
    {
        QTcpServer probe; // a port that was free a moment ago, for the SMTP server to take
        probe.listen(QHostAddress::LocalHost);
        m_smtpPort = probe.serverPort();
        probe.close();
        if (smtpUp)
            startSmtp();
    }

    void startSmtp()
    {
        SmtpServerOptions options;
        options.tls = SmtpTlsMode::StartTls;
        options.certificate = certificate.certificate();
        options.privateKey = certificate.privateKey();
        options.requireTls = true;
        options.requireAuth = true;
        options.username = "alerts";
        options.password = kTestSmtpPassword;
        options.port = m_smtpPort;
        smtp = std::make_unique<SmtpTestServer>(options);
    }

    // Every channel on, towards these servers, with delivery times short enough for a test.
    AlertSettings settings() const
    {
        AlertSettings s;
        s.routing.groupWait = std::chrono::milliseconds(100);
        s.routing.groupInterval = std::chrono::milliseconds(300);
        s.delivery.timeout = std::chrono::seconds(3);
        s.delivery.baseDelay = std::chrono::milliseconds(100);
        s.delivery.maxDelay = std::chrono::milliseconds(400);
        s.delivery.breakerFailures = 3;
        s.delivery.breakerOpenWait = std::chrono::milliseconds(500);
        s.delivery.shutdownGrace = std::chrono::seconds(3);

        s.email.url = QUrl(QStringLiteral("smtp://127.0.0.1:%1").arg(m_smtpPort));
        s.email.username = QStringLiteral("alerts");
        s.email.password = QString::fromLatin1(kTestSmtpPassword);
        s.email.from = QStringLiteral("Breakwater <alerts@breakwater.test>");
        s.email.to = {QStringLiteral("oncall@breakwater.test")};
        s.email.requireTls = true;
        s.email.caFile = certificate.caFilePath();

        s.telegram.baseUrl = telegram.baseUrl();
        s.telegram.botToken = QString::fromLatin1(kTestBotToken);
        s.telegram.chatId = QStringLiteral("-1001234567890");

        s.webhook.url = webhook.url();
        s.webhook.secret = kTestWebhookSecret;
        return s;
    }

    int smtpMessages() const { return smtp ? int(smtp->messages().size()) : 0; }
    int telegramMessages() const { return int(telegram.messages().size()); }
    int webhookDeliveries() const { return int(webhook.deliveries().size()); }

    // The received email's subjects, decoded.
    QStringList emailSubjects() const
    {
        QStringList subjects;
        if (smtp) {
            for (const SmtpReceivedMessage& m : smtp->messages())
                subjects << Rfc5322Message::parse(m.data).subject();
        }
        return subjects;
    }

    TestCertificate certificate;
    std::unique_ptr<SmtpTestServer> smtp;
    TelegramTestServer telegram;
    WebhookTestReceiver webhook;

private:
    quint16 m_smtpPort = 0;
};

} // namespace breakwater::testing
