#include "emailchannel.h"

#include "emailmessage.h"
#include "net/curltransfer.h"
#include "net/httppost.h"

#include <cstring>

namespace breakwater {

namespace {

// Feeds the message to libcurl's upload.
struct Upload
{
    QByteArray data;
    qsizetype offset = 0;
};

size_t readMessage(char* buffer, size_t size, size_t count, void* user)
{
    auto* upload = static_cast<Upload*>(user);
    const qsizetype room = qsizetype(size * count);
    const qsizetype bytes = std::min(room, upload->data.size() - upload->offset);
    std::memcpy(buffer, upload->data.constData() + upload->offset, size_t(bytes));
    upload->offset += bytes;
    return size_t(bytes);
}

// The server's last reply line, for the report: "554 5.7.1 Message rejected". Only what the server
// sends is looked at, never what Breakwater sends (which holds the AUTH exchange).
int keepServerReply(CURL*, curl_infotype type, char* data, size_t size, void* user)
{
    if (type == CURLINFO_HEADER_IN) {
        QByteArray line(data, qsizetype(std::min<size_t>(size, 512)));
        *static_cast<QByteArray*>(user) = line.trimmed();
    }
    return 0;
}

QString replyText(int code, const QByteArray& reply)
{
    if (!reply.isEmpty() && reply.startsWith(QByteArray::number(code)))
        return QStringLiteral("SMTP ") + QString::fromUtf8(reply);
    return QStringLiteral("SMTP %1").arg(code);
}

} // namespace

EmailChannel::EmailChannel(const EmailChannelSettings& settings, Duration timeout)
    : m_settings(settings)
    , m_timeout(timeout)
{}

QString EmailChannel::destination() const
{
    return QStringLiteral("%1 to %2")
        .arg(m_settings.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemovePath |
                                            QUrl::RemoveQuery),
             m_settings.to.join(QStringLiteral(", ")));
}

DeliveryAttempt EmailChannel::deliver(const Delivery& delivery, TransferCanceller& canceller)
{
    CurlEasy easy(curl_easy_init());
    if (!easy)
        return DeliveryAttempt::transient(QStringLiteral("libcurl could not start a transfer"));
    CURL* e = easy.get();

    CurlList recipients;
    for (const QString& to : m_settings.to) {
        if (const std::optional<QByteArray> address = mailboxAddress(to))
            appendToList(recipients, '<' + *address + '>');
    }
    if (!recipients)
        return DeliveryAttempt::permanent(QStringLiteral("alerts.email.to holds no address"));
    const QByteArray from = '<' + mailboxAddress(m_settings.from).value_or(QByteArray()) + '>';
    Upload upload{composeAlertEmail(delivery, m_settings.from, m_settings.to)};
    const QByteArray url = m_settings.url.toEncoded();
    const QByteArray username = m_settings.username.toUtf8();
    const QByteArray password = m_settings.password.toUtf8();
    const QByteArray caFile = m_settings.caFile.toLocal8Bit();
    const bool implicitTls = m_settings.url.scheme() == u"smtps";
    QByteArray lastReply;
    char errorBuffer[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(e, CURLOPT_URL, url.constData());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USE_SSL,
                     long(implicitTls || m_settings.requireTls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (!caFile.isEmpty())
        curl_easy_setopt(e, CURLOPT_CAINFO, caFile.constData());
    if (!username.isEmpty()) {
        curl_easy_setopt(e, CURLOPT_USERNAME, username.constData());
        curl_easy_setopt(e, CURLOPT_PASSWORD, password.constData());
    }
    curl_easy_setopt(e, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, readMessage);
    curl_easy_setopt(e, CURLOPT_READDATA, &upload);
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.data.size()));
    const auto timeoutMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_timeout).count();
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(timeoutMs));
    // Without these, a server that went quiet keeps the connection, and closing it waits two
    // minutes for an answer to QUIT.
    curl_easy_setopt(e, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                     long(std::max<qint64>(1, timeoutMs / 1000)));
    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, keepServerReply);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, &lastReply);
    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L); // what makes curl call the debug function
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errorBuffer);

    const CURLcode code = canceller.perform(e);
    // Only an attempt the cancel cut short: one that ended with an answer just before the
    // cancel reports that answer, or a delivered message would stay in the outbox and go
    // out again on the next start.
    if (code == CURLE_ABORTED_BY_CALLBACK && canceller.isCancelled())
        return DeliveryAttempt::cancelled();
    long reply = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &reply);
    const int status = int(reply);
    if (code == CURLE_OK)
        return DeliveryAttempt::delivered(status, replyText(status, lastReply));
    if (code == CURLE_LOGIN_DENIED && status >= 400 && status < 500) // 454: try again later
        return DeliveryAttempt::transient(QStringLiteral("the server could not log in now: ") +
                                              replyText(status, lastReply),
                                          status);
    if (code == CURLE_LOGIN_DENIED)
        return DeliveryAttempt::permanent(QStringLiteral("the server refused the login: ") +
                                              replyText(status, lastReply),
                                          status);
    if (code == CURLE_USE_SSL_FAILED)
        return DeliveryAttempt::permanent(
            QStringLiteral("the server offers no STARTTLS, and alerts.email.require_tls is on"),
            status);
    if (status >= 500 && status < 600)
        return DeliveryAttempt::permanent(replyText(status, lastReply), status);
    if (status >= 400 && status < 500)
        return DeliveryAttempt::transient(replyText(status, lastReply), status);
    const QString error = curlErrorText(code, errorBuffer);
    return isTransientTransferError(code) ? DeliveryAttempt::transient(error, status)
                                          : DeliveryAttempt::permanent(error, status);
}

} // namespace breakwater
