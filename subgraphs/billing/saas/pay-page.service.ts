import { formatRupees } from '../../../core/money';
import { escapeHtml as e } from '../invoicing/invoice-html.service';
import type { PlatformOrderDoc } from '../platform/order.model';
import type { SaasInvoiceDoc } from './invoice.model';

const page = (title: string, body: string, script = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)} · StudySpot</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem}</style>
</head><body><h1>${e(title)}</h1>${body}${script}</body></html>`;

/** A refusal or a final state, as a small page (the link is opened in a browser). */
export const messagePage = (title: string, text: string) => page(title, `<p>${e(text)}</p>`);

/**
 * Opens the provider's own checkout for the order (Razorpay Checkout with the
 * order id and the platform's public key id; Cashfree's JS SDK with the payment
 * session): neither offers a plain URL for an order, so the page launches it.
 * The webhook settles the payment; the page only says so.
 */
export function checkoutPage(inv: SaasInvoiceDoc, order: PlatformOrderDoc, accountName: string, nonce: string, cashfreeMode: 'sandbox' | 'production'): string {
  const amount = `₹${formatRupees(order.amount)}`;
  const body = `<p>${e(accountName)}: invoice <strong>${e(inv.number)}</strong>, <strong>${e(amount)}</strong> (GST included), due ${e(inv.dueAt.toISOString().slice(0, 10))}.</p>
<p><button id="pay">Pay ${e(amount)}</button></p><p id="status"></p>`;
  const done = `function done(){document.getElementById('status').textContent='Thank you: the payment is being confirmed. The account is active again within a minute.';}`;
  const c = order.checkout ?? {};
  const launch =
    order.provider === 'razorpay'
      ? `<script nonce="${nonce}" src="https://checkout.razorpay.com/v1/checkout.js"></script>
<script nonce="${nonce}">${done}var o=${json({ key: c.razorpayKeyId, order_id: c.razorpayOrderId, amount: order.amount, currency: 'INR', name: 'StudySpot', description: `Invoice ${inv.number}` })};
o.handler=done;var rzp=new Razorpay(o);
rzp.on('payment.failed',function(){document.getElementById('status').textContent='The payment failed; try again.';});
document.getElementById('pay').onclick=function(){rzp.open();};rzp.open();</script>`
      : `<script nonce="${nonce}" src="https://sdk.cashfree.com/js/v3/cashfree.js"></script>
<script nonce="${nonce}">${done}var cf=Cashfree(${json({ mode: cashfreeMode })});function go(){cf.checkout(${json({ paymentSessionId: c.cashfreePaymentSessionId, redirectTarget: '_self' })});}
document.getElementById('pay').onclick=go;go();</script>`;
  return page(`Pay invoice ${inv.number}`, body, launch);
}

/** JSON safe inside a <script> element. */
const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
