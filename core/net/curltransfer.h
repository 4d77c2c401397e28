#pragma once

#include <QString>

#include <atomic>
#include <curl/curl.h>
#include <memory>

namespace breakwater {

// Lets another thread cut a blocking libcurl transfer short at once, not at curl's next progress
// callback: the transfer runs in a multi handle, and cancel() wakes its poll. One per channel
// thread; perform() is called on that thread, cancel() from any.
class TransferCanceller final
{
public:
    TransferCanceller();
    ~TransferCanceller();
    TransferCanceller(const TransferCanceller&) = delete;
    TransferCanceller& operator=(const TransferCanceller&) = delete;

    void cancel() noexcept;
    bool isCancelled() const noexcept { return m_cancelled.load(); }

    // Runs the prepared easy handle to its end. CURLE_ABORTED_BY_CALLBACK once cancelled.
    CURLcode perform(CURL* easy);

private:
    CURLM* m_multi;
    std::atomic<bool> m_cancelled{false};
};

// curl_global_init, once per process, before the first handle (it is not thread-safe itself).
void ensureCurlInitialised();

struct CurlEasyDeleter
{
    void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlListDeleter
{
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

// Appends to a curl string list, keeping ownership in the unique_ptr.
void appendToList(CurlList& list, const QByteArray& item);

// curl's own words for a failure, with the error buffer's details when it has any.
QString curlErrorText(CURLcode code, const char* errorBuffer);

} // namespace breakwater
