#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QUrl>

#include <memory>
#include <utility>

namespace breakwater::testing {

// What a fake HTTP server answered to HttpTestClient, or the network error that came instead.
struct HttpTestAnswer
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;

    QByteArray header(const QByteArray& name) const
    {
        for (const auto& [headerName, value] : headers) {
            if (headerName.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

// Requests to the fakes from the test's own thread, for their self-tests: QNetworkAccessManager
// is asynchronous, so the fake on the same event loop answers while the test waits.
class HttpTestClient final
{
public:
    static constexpr int kWaitMs = 20000;

    HttpTestAnswer send(const QUrl& url, const QByteArray& method, const QByteArray& body,
                        const QList<std::pair<QByteArray, QByteArray>>& headers = {})
    {
        QNetworkRequest request(url);
        for (const auto& [name, value] : headers)
            request.setRawHeader(name, value);
        // The fakes answer one request per connection; a pooled one would be closed under us.
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        const std::unique_ptr<QNetworkReply> reply(
            m_manager.sendCustomRequest(request, method, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        HttpTestAnswer answer;
        if (!reply->isFinished() && !finished.wait(kWaitMs)) {
            answer.error = QNetworkReply::TimeoutError;
            return answer;
        }
        answer.error = reply->error();
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        for (const auto& [name, value] : reply->rawHeaderPairs())
            answer.headers.append({name, value});
        return answer;
    }

    HttpTestAnswer postJson(const QUrl& url, const QByteArray& body,
                            QList<std::pair<QByteArray, QByteArray>> headers = {})
    {
        headers.prepend({"Content-Type", "application/json"});
        return send(url, "POST", body, headers);
    }

private:
    QNetworkAccessManager m_manager;
};

} // namespace breakwater::testing
