// Pricing (CommonJS): quotes with quantity discounts and coupons. Amounts are in cents.
'use strict';

const COUPONS = { WELCOME10: 0.1, COPPER5: 0.05 };

/** The discount rate of a coupon code (0 for none or an unknown one). */
function couponRate(code) {
  if (code === undefined || code === null) return 0;
  const rate = COUPONS[String(code).toUpperCase()];
  if (rate === undefined) throw new RangeError(`unknown coupon ${code}`);
  return rate;
}

/** A quote for `quantity` of `product`: 5% off from 3 items, plus the coupon's rate. */
function quote(product, quantity, coupon) {
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`bad quantity ${quantity}`);
  const subtotal = product.price * quantity;
  const rate = (quantity >= 3 ? 0.05 : 0) + couponRate(coupon);
  const discount = Math.round(subtotal * rate);
  return { product: product.id, quantity, subtotal, discount, total: subtotal - discount };
}

module.exports = { quote, couponRate };
