#include "curltransfer.h"

#include <mutex>

namespace breakwater {

namespace {

// A wake-up bounds the wait anyway; this only bounds how long a lost wake-up could cost.
constexpr int kPollMs = 1000;

} // namespace

void ensureCurlInitialised()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

TransferCanceller::TransferCanceller()
{
    ensureCurlInitialised();
    m_multi = curl_multi_init();
}

TransferCanceller::~TransferCanceller()
{
    curl_multi_cleanup(m_multi);
}

void TransferCanceller::cancel() noexcept
{
    m_cancelled.store(true);
    curl_multi_wakeup(m_multi);
}

CURLcode TransferCanceller::perform(CURL* easy)
{
    if (!m_multi)
        return CURLE_FAILED_INIT;
    if (curl_multi_add_handle(m_multi, easy) != CURLM_OK)
        return CURLE_FAILED_INIT;
    CURLcode result = CURLE_ABORTED_BY_CALLBACK;
    bool done = false;
    while (!done && !m_cancelled.load()) {
        int running = 0;
        if (curl_multi_perform(m_multi, &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(m_multi, &left)) {
            if (message->msg == CURLMSG_DONE && message->easy_handle == easy) {
                result = message->data.result;
                done = true;
            }
        }
        if (!done && running > 0)
            curl_multi_poll(m_multi, nullptr, 0, kPollMs, nullptr);
        else if (!done) { // nothing running and no result: curl gave up without a word
            result = CURLE_FAILED_INIT;
            break;
        }
    }
    curl_multi_remove_handle(m_multi, easy);
    return result;
}

void appendToList(CurlList& list, const QByteArray& item)
{
    curl_slist* grown = curl_slist_append(list.get(), item.constData());
    if (grown) {
        (void)list.release();
        list.reset(grown);
    }
}

QString curlErrorText(CURLcode code, const char* errorBuffer)
{
    const QString text = QString::fromUtf8(curl_easy_strerror(code));
    if (errorBuffer && errorBuffer[0] != '\0')
        return text + QStringLiteral(" (") + QString::fromUtf8(errorBuffer).trimmed() +
               QLatin1Char(')');
    return text;
}

} // namespace breakwater
